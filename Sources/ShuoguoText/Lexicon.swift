import Foundation

/// The merged segmentation dictionary: a trie over Unicode scalars with the log-probability
/// of every word.
///
/// A word's probability is `frequency / total`, where `total` is the sum of all word
/// frequencies, as in jieba. Words are stored normalized (full-width folded, lower-cased, see
/// ``TextNormalizer``). Only words made of CJK ideographs can be reached by segmentation,
/// which runs on CJK runs alone; other entries ("c++", "b超") still count towards `total`.
///
/// Build one with ``load(general:domain:)`` from files in jieba's dictionary format, or with
/// ``init(entries:)``. A lexicon is immutable and cheap to copy.
public struct Lexicon: Sendable {
    /// One dictionary line: a word and its frequency.
    public struct Entry: Hashable, Sendable {
        public var word: String
        /// `nil` asks for a suggested frequency, see ``Lexicon/init(entries:)``.
        public var frequency: Int?

        public init(word: String, frequency: Int?) {
            self.word = word
            self.frequency = frequency
        }
    }

    /// Node values: `log(frequency) - log(total)` for words, `+infinity` for nodes that are
    /// only prefixes of words.
    let trie: PackedTrie
    /// Per packed node: the frequency, 0 for prefixes and deleted words.
    let frequencies: [Int]
    /// Score of a single character that is not a word: `log(1) - log(total)`, as in jieba.
    let unknownLogProbability: Double

    /// Sum of the frequencies of all words.
    public let totalFrequency: Int
    /// Number of distinct words with a frequency above zero.
    public let wordCount: Int
    /// Lines that were skipped while loading, with their file and line number.
    public let diagnostics: [LexiconDiagnostic]

    /// A lexicon built from entries applied in order.
    ///
    /// An entry with a frequency sets that word's frequency (a later entry overrides an
    /// earlier one; frequency 0 removes the word; frequencies are clamped to
    /// 0...999,999,999,999; empty words are ignored). Entries without a frequency are applied
    /// after all others, in order, each getting what jieba's `suggest_freq` gives: one more
    /// than `total` times the product of the probabilities of the pieces the word would be
    /// cut into otherwise, and never less than its current frequency. That makes the word
    /// win against its own pieces.
    public init(entries: [Entry]) {
        var builder = LexiconBuilder()
        for entry in entries {
            builder.add(entry.word, frequency: entry.frequency)
        }
        self = builder.finish()
    }

    /// Freezes a built trie; `frequencies` is indexed by the nodes of `trie`.
    init(trie: ScalarTrie, frequencies: [Int], totalFrequency: Int, diagnostics: [LexiconDiagnostic]) {
        self.totalFrequency = totalFrequency
        self.diagnostics = diagnostics
        let logTotal = totalFrequency > 0 ? Foundation.log(Double(totalFrequency)) : 0
        var words = 0
        let values = frequencies.map { f in
            guard f > 0 else { return PackedTrie.noValue }
            words += 1
            return Foundation.log(Double(f)) - logTotal
        }
        var renumbered: [Int32] = []
        self.trie = PackedTrie(trie, values: values, renumbered: &renumbered)
        var packedFrequencies = [Int](repeating: 0, count: Int(renumbered.max() ?? 0) + 1)
        for (old, new) in renumbered.enumerated() where old > 0 {
            packedFrequencies[Int(new)] = frequencies[old]
        }
        self.frequencies = packedFrequencies
        wordCount = words
        unknownLogProbability = -logTotal
    }

    /// The frequency of `word` after normalization, or 0 when it is not a word.
    public func frequency(of word: String) -> Int {
        guard let scalars = LexiconBuilder.normalizedWord(word) else { return 0 }
        let node = trie.find(scalars)
        return node == 0 ? 0 : frequencies[Int(node)]
    }

    /// Whether `word` (after normalization) is a word of this lexicon.
    public func contains(_ word: String) -> Bool {
        frequency(of: word) > 0
    }
}

// MARK: - Loading

extension Lexicon {
    /// The jieba dictionary: `$SHUOGUO_JIEBA_DICT` when set, otherwise
    /// `/usr/lib/python3/dist-packages/jieba/dict.txt` (Debian's `python3-jieba`).
    public static let defaultGeneralDictionaryURL: URL = {
        if let path = ProcessInfo.processInfo.environment["SHUOGUO_JIEBA_DICT"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: "/usr/lib/python3/dist-packages/jieba/dict.txt")
    }()

    /// Loads a general dictionary and domain lexicons, all in jieba's format: one entry per
    /// line, `word [frequency [tag]]`, fields separated by spaces or tabs, UTF-8, optional
    /// byte-order mark. The tag is read and ignored.
    ///
    /// Files are applied in order (`general`, then each of `domain`), so a domain entry
    /// overrides or adds to the general dictionary; see ``init(entries:)`` for frequencies.
    /// A malformed line (invalid UTF-8, more than three fields, a frequency that is not an
    /// integer from 0 to 999,999,999,999, a word with whitespace) is skipped and reported in
    /// ``diagnostics`` as `file:line: reason`.
    ///
    /// - Parameters:
    ///   - general: The general dictionary, usually ``defaultGeneralDictionaryURL``.
    ///   - domain: Domain lexicons, applied after it in order.
    ///   - additionalWords: Words from elsewhere (a thesaurus's terms, for example), added
    ///     after the files as entries without a frequency: each gets a suggested frequency
    ///     that makes it beat its own pieces, and a word already known keeps its frequency
    ///     when that is higher.
    /// - Throws: ``LexiconError`` when a file cannot be read.
    /// - Complexity: O(*n*) in the total size of the files.
    public static func load(general: URL, domain: [URL], additionalWords: [String] = []) throws -> Lexicon {
        var builder = LexiconBuilder(expectedWords: 400_000)
        for url in [general] + domain {
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw LexiconError(file: url.path, reason: "cannot read file (\(error.localizedDescription))")
            }
            data.withUnsafeBytes { raw in
                builder.parse(raw.bindMemory(to: UInt8.self), file: url.path)
            }
        }
        for word in additionalWords {
            builder.add(word, frequency: nil)
        }
        return builder.finish()
    }
}

/// A skipped dictionary line.
public struct LexiconDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Path of the file.
    public let file: String
    /// 1-based line number.
    public let line: Int
    public let message: String

    /// `file:line: message`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// A dictionary file that could not be read.
public struct LexiconError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public var description: String { "\(file): \(reason)" }
}

// MARK: - Building

struct LexiconBuilder {
    private var trie: ScalarTrie
    private var frequencies: [Int] = [0]
    private var total = 0
    private var diagnostics: [LexiconDiagnostic] = []
    /// Largest accepted frequency; keeps the total far from overflow.
    static let maximumFrequency = 999_999_999_999
    /// Words listed without a frequency, in order.
    private var unpriced: [[UInt32]] = []
    /// Scratch buffer for the word being parsed.
    private var word: [UInt32] = []

    init(expectedWords: Int = 1024) {
        trie = ScalarTrie(expectedNodes: expectedWords * 3 / 2)
        frequencies.reserveCapacity(expectedWords * 3 / 2)
    }

    /// Normalized scalars of a dictionary word, or `nil` when it is empty or has whitespace.
    static func normalizedWord(_ word: String) -> [UInt32]? {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(word.unicodeScalars.count)
        let ok = ScalarClass.table.withUnsafeBufferPointer { table in
            word.unicodeScalars.allSatisfy { appendNormalized($0.value, to: &scalars, table.baseAddress!) }
        }
        return ok && !scalars.isEmpty ? scalars : nil
    }

    /// Appends the normalized form of one scalar of a dictionary word; `false` for whitespace.
    @inline(__always)
    private static func appendNormalized(_ scalar: UInt32, to scalars: inout [UInt32], _ table: UnsafePointer<UInt8>) -> Bool {
        let c = ScalarClass.foldWidth(scalar)
        let k = ScalarClass.classOf(c, table) & ScalarClass.mainMask
        if k == ScalarClass.ignorable { return true }
        if k == ScalarClass.space { return false }
        scalars.append(k == ScalarClass.letter ? ScalarClass.lowercase(c) : c)
        return true
    }

    mutating func add(_ word: String, frequency: Int?) {
        guard let scalars = Self.normalizedWord(word) else { return }
        add(scalars, frequency: frequency.map { min(max($0, 0), Self.maximumFrequency) })
    }

    private mutating func add(_ scalars: [UInt32], frequency: Int?) {
        let node = Int(trie.insert(scalars))
        while frequencies.count < trie.nodeCount { frequencies.append(0) }
        if let frequency {
            total += frequency - frequencies[node]
            frequencies[node] = frequency
        } else {
            unpriced.append(scalars)
        }
    }

    /// Parses one file in jieba format.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) {
        let n = bytes.count
        var p = 0
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { p = 3 }
        var line = 0
        var fields: [Range<Int>] = []
        while p < n {
            line += 1
            var eol = p
            while eol < n && bytes[eol] != 0x0A { eol += 1 }
            var end = eol
            if end > p && bytes[end - 1] == 0x0D { end -= 1 }

            fields.removeAll(keepingCapacity: true)
            var q = p
            while q < end {
                while q < end && (bytes[q] == 0x20 || bytes[q] == 0x09) { q += 1 }
                let start = q
                while q < end && bytes[q] != 0x20 && bytes[q] != 0x09 { q += 1 }
                if q > start { fields.append(start..<q) }
            }
            if !fields.isEmpty {
                parseLine(bytes, fields: fields, file: file, line: line)
            }
            p = eol + 1
        }
    }

    private mutating func parseLine(_ bytes: UnsafeBufferPointer<UInt8>, fields: [Range<Int>], file: String, line: Int) {
        func report(_ message: String) {
            diagnostics.append(LexiconDiagnostic(file: file, line: line, message: message))
        }
        guard fields.count <= 3 else {
            report("expected 'word [frequency [tag]]', found \(fields.count) fields")
            return
        }
        // Decode and normalize the word straight from the bytes; building a String for each
        // of 349k lines would dominate the load time.
        word.removeAll(keepingCapacity: true)
        var bytesOfWord = UnsafeBufferPointer(rebasing: bytes[fields[0]]).makeIterator()
        var decoder = UTF8()
        var valid = true
        var spaced = false
        ScalarClass.table.withUnsafeBufferPointer { table in
            decoding: while true {
                switch decoder.decode(&bytesOfWord) {
                case .scalarValue(let scalar):
                    if !Self.appendNormalized(scalar.value, to: &word, table.baseAddress!) { spaced = true }
                case .emptyInput:
                    break decoding
                case .error:
                    valid = false
                    break decoding
                }
            }
        }
        guard valid else {
            report("word is not valid UTF-8")
            return
        }
        guard !spaced && !word.isEmpty else {
            report("word '\(wordText(bytes, fields[0]))' is empty or has whitespace after normalization")
            return
        }
        var frequency: Int?
        if fields.count >= 2 {
            let field = fields[1]
            var value = 0
            var valid = field.count <= 12
            for k in field where valid {
                let d = bytes[k]
                if d >= 0x30 && d <= 0x39 { value = value * 10 + Int(d - 0x30) } else { valid = false }
            }
            guard valid else {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[field]), as: UTF8.self)
                report("frequency '\(text)' of '\(wordText(bytes, fields[0]))' is not an integer from 0 to 999999999999")
                return
            }
            frequency = value
        }
        add(word, frequency: frequency)
    }

    private func wordText(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[field]), as: UTF8.self)
    }

    /// Prices the words listed without a frequency and freezes the result.
    mutating func finish() -> Lexicon {
        for scalars in unpriced {
            let node = Int(trie.find(scalars))
            let current = frequencies[node]
            let suggested = suggestedFrequency(scalars)
            let frequency = max(suggested, current, 1)
            total += frequency - current
            frequencies[node] = frequency
        }
        unpriced = []
        return Lexicon(trie: trie, frequencies: frequencies, totalFrequency: total, diagnostics: diagnostics)
    }

    /// One more than `total` times the probability of the best segmentation of `word` with
    /// the current frequencies (jieba's `suggest_freq` without tuning).
    private func suggestedFrequency(_ word: [UInt32]) -> Int {
        guard total > 0 else { return 1 }
        let logTotal = Foundation.log(Double(total))
        let m = word.count
        var best = [Double](repeating: 0, count: m + 1)
        for i in stride(from: m - 1, through: 0, by: -1) {
            var score = -Double.infinity
            var node: Int32 = 0
            var j = i
            while j < m {
                node = trie.child(node, word[j])
                if node == 0 { break }
                let f = frequencies[Int(node)]
                if f > 0 { score = max(score, Foundation.log(Double(f)) - logTotal + best[j + 1]) }
                j += 1
            }
            if score == -.infinity { score = -logTotal + best[i + 1] }
            best[i] = score
        }
        let product = Foundation.exp(best[0]) * Double(total)
        return product >= Double(Self.maximumFrequency) ? Self.maximumFrequency : Int(product) + 1
    }
}
