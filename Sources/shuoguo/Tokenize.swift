import ArgumentParser
import Foundation
import ShuoguoEngine

struct Tokenize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Segment text: one line in, the line's terms (space-separated) out; --offsets prints every token.")

    @Argument(help: "A text file (default: standard input).")
    var file: String?

    @Option(name: .long) var corpus: String?

    @Flag(name: .long, help: "Print each token as text<TAB>start<TAB>end<TAB>kind (offsets in Unicode scalars of the input line).")
    var offsets = false

    func run() async throws {
        try await reportingErrors {
            let resources = try Resources.load(corpusDirectory: corpus.map { URL(fileURLWithPath: $0) })
            let data = try file.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? FileHandle.standardInput.readDataToEndOfFile()
            var out = Output()
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                if offsets {
                    for token in resources.analyzer.tokens(String(line)) {
                        out.write("\(token.text)\t\(token.start)\t\(token.end)\t\(token.kind)\n")
                    }
                    out.write("\n")
                } else {
                    out.write(resources.analyzer.terms(String(line)).joined(separator: " ") + "\n")
                }
            }
            out.flush()
        }
    }
}
