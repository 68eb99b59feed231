import Foundation
import ShuoguoVectors

/// A benchmark input that cannot be used; the message names the file, and the line when one is at fault.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The fields of a synthetic achievement or need that the benchmark reads.
struct RecordText: Decodable {
    var title: String?
    var summary: String?
    var description: String?
    var industry: [String]?

    /// The body text: an achievement's summary, else a need's description.
    var body: String { summary ?? description ?? "" }
}

/// Reading the benchmark's input files.
enum Inputs {
    /// The lines of a UTF-8 text file, without line terminators; a final newline ends the
    /// last line rather than starting an empty one. At most `limit` lines are kept.
    static func lines(_ path: String, limit: Int = .max) throws(BenchError) -> [Substring] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BenchError("\(path): cannot read as UTF-8 text (\(error.localizedDescription))")
        }
        var out: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex && out.count < limit {
            let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
            var line = text[start..<end]
            if line.last == "\r" { line = line.dropLast() }
            out.append(line)
            start = end < text.endIndex ? text.index(after: end) : end
        }
        return out
    }

    /// Decodes up to `limit` JSONL records. A line that is not a JSON object with the expected
    /// field types is an error naming the file, line and the decoder's reason.
    static func records(_ path: String, limit: Int = .max) throws(BenchError) -> [RecordText] {
        let decoder = JSONDecoder()
        var out: [RecordText] = []
        for (number, line) in try lines(path).enumerated() where out.count < limit {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                out.append(try decoder.decode(RecordText.self, from: Data(line.utf8)))
            } catch {
                throw BenchError("\(path):\(number + 1): not a record with string title/summary/description and a list industry (\(error))")
            }
        }
        return out
    }

    /// The first records whose title + body UTF-8 bytes reach `limitBytes` (the last record is
    /// the one that reaches it), as `speed.py` reads the text it gives jieba.
    static func leadingTexts(_ records: [RecordText], limitBytes: Int) -> (texts: [(String, String)], bytes: Int) {
        var texts: [(String, String)] = []
        var bytes = 0
        for record in records {
            let title = record.title ?? "", body = record.body
            texts.append((title, body))
            bytes += title.utf8.count + body.utf8.count
            if bytes >= limitBytes { break }
        }
        return (texts, bytes)
    }

    /// The space-separated words of a reference token line, split on the UTF-8 bytes (a
    /// grapheme-aware `split` on characters costs more than everything TF-IDF does after it).
    static func words(_ line: Substring) -> [String] {
        let split = { (bytes: UnsafeBufferPointer<UInt8>) -> [String] in
            var out: [String] = []
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: " ") {
                if i > start { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                start = i + 1
            }
            return out
        }
        return line.utf8.withContiguousStorageIfAvailable(split) ?? Array(line.utf8).withUnsafeBufferPointer(split)
    }

    /// `words` of every line, the lines split into contiguous blocks over `threads` workers.
    static func words(_ lines: ArraySlice<Substring>, threads: Int) -> [[String]] {
        var out = [[String]](repeating: [], count: lines.count)
        let base = lines.startIndex
        out.withUnsafeMutableBufferPointer { buffer in
            let target = SharedPointer(buffer.baseAddress!)
            forEachBlock(count: lines.count, workers: lines.count >= 1024 ? threads : 1) { range in
                for i in range { target.base[i] = words(lines[base + i]) }
            }
        }
        return out
    }

    /// Parses a comma-separated list of positive integers ("10000,100000").
    static func positiveIntegers(_ text: String, option: String) throws(BenchError) -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw BenchError("\(option): expected comma-separated positive integers, got '\(text)'")
        }
        return values.map { $0! }
    }
}
