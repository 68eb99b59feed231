import Foundation
import ShuoguoText

/// The bundled knowledge the engine reads at start: the segmentation lexicons, stopwords and
/// thesaurus under `Corpus/`, plus jieba's general dictionary from the installed package.
public struct Resources: Sendable {
    public let corpusDirectory: URL
    public let analyzer: Analyzer
    public let thesaurus: Thesaurus
    /// Warnings met while loading (malformed lines that were skipped).
    public let warnings: [String]

    /// Locates `Corpus/`: `$SHUOGUO_CORPUS`, else the nearest `Corpus/` above the executable,
    /// else `./Corpus`.
    public static func locateCorpus() -> URL? {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["SHUOGUO_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("Corpus"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Corpus"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("lexicon.txt").path) }
    }

    /// Loads everything from `corpusDirectory` (default: `locateCorpus()`).
    public static func load(corpusDirectory: URL? = nil) throws -> Resources {
        guard let corpus = corpusDirectory ?? locateCorpus() else {
            throw EngineError.missingResource("Corpus/ not found: set SHUOGUO_CORPUS or run from the repository")
        }
        let general = Lexicon.defaultGeneralDictionaryURL
        guard FileManager.default.fileExists(atPath: general.path) else {
            throw EngineError.missingResource("\(general.path) is missing: install Debian's python3-jieba (scripts/setup.sh does)")
        }
        let thesaurusDirectory = corpus.appendingPathComponent("thesaurus")
        let lexicon = try Lexicon.load(general: general, domain: [corpus.appendingPathComponent("lexicon.txt")],
                                       additionalWords: Thesaurus.segmentationWords(directory: thesaurusDirectory))
        let stopwordText = (try? String(contentsOf: corpus.appendingPathComponent("stopwords.txt"), encoding: .utf8)) ?? ""
        let stopwords = Set(stopwordText.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
        let analyzer = Analyzer(lexicon: lexicon, stopwords: stopwords, indexMode: true)
        var warnings: [String] = []
        var thesaurus = Thesaurus()
        if FileManager.default.fileExists(atPath: thesaurusDirectory.path) {
            let loaded = try Thesaurus.load(directory: thesaurusDirectory, analyzer: analyzer)
            thesaurus = loaded.thesaurus
            warnings += loaded.issues.map(\.description)
        }
        return Resources(corpusDirectory: corpus, analyzer: analyzer, thesaurus: thesaurus, warnings: warnings)
    }

    public init(corpusDirectory: URL, analyzer: Analyzer, thesaurus: Thesaurus, warnings: [String] = []) {
        self.corpusDirectory = corpusDirectory
        self.analyzer = analyzer
        self.thesaurus = thesaurus
        self.warnings = warnings
    }
}

/// Errors the engine reports; the CLI maps each to one message and exit status.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case missingResource(String)
    case invalidModel(String)
    case unknownRecord(kind: String, id: String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .missingResource(let m): return m
        case .invalidModel(let m): return "model file: \(m)"
        case .unknownRecord(let kind, let id): return "no \(kind) with id '\(id)'"
        case .invalidInput(let m): return m
        }
    }
}
