import Foundation
@testable import ShuoguoText

/// Fixture files next to this source file.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The small general dictionary alone.
    static let generalLexicon: Lexicon = load(domain: [])
    /// The small general dictionary with the domain lexicon on top.
    static let domainLexicon: Lexicon = load(domain: [url("domain.txt")])
    static let stopwords: Set<String> = {
        do { return try Stopwords.load(url("stopwords.txt")) } catch { fatalError("fixture stopwords: \(error)") }
    }()

    static func load(domain: [URL]) -> Lexicon {
        do { return try Lexicon.load(general: url("general.txt"), domain: domain) } catch { fatalError("fixture lexicon: \(error)") }
    }

    static func analyzer(domain: Bool = false, stopwords: Bool = true, indexMode: Bool = false) -> Analyzer {
        Analyzer(lexicon: domain ? domainLexicon : generalLexicon, stopwords: stopwords ? self.stopwords : [], indexMode: indexMode)
    }
}

/// The real jieba dictionary, when installed.
enum Jieba {
    static let url = Lexicon.defaultGeneralDictionaryURL
    static let isAvailable = FileManager.default.fileExists(atPath: url.path)
    static let skipMessage = "jieba dictionary not found at \(url.path); install python3-jieba or set SHUOGUO_JIEBA_DICT"

    static let lexicon: Lexicon = {
        do { return try Lexicon.load(general: url, domain: []) } catch { fatalError("jieba dictionary: \(error)") }
    }()
    static let lexiconWithDomain: Lexicon = {
        do { return try Lexicon.load(general: url, domain: [Fixture.url("domain.txt")]) } catch { fatalError("jieba dictionary: \(error)") }
    }()
}

/// Seeded generator so that randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Analyzer {
    /// Token texts.
    func texts(_ text: String) -> [String] { tokens(text).map(\.text) }

    /// Token texts without symbols, for segmentation checks.
    func words(_ text: String) -> [String] { tokens(text).filter { $0.kind != .symbol }.map(\.text) }
}

/// `text@start..<end:kind` descriptions, which make failures readable.
func described(_ tokens: [Token]) -> [String] { tokens.map(\.description) }

/// The original scalars `start..<end` of `text` as a string.
func originalSlice(_ text: String, _ start: Int, _ end: Int) -> String {
    let scalars = Array(text.unicodeScalars)
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<end])
    return String(view)
}

/// Offsets that do not map back: tokens whose original scalars do not normalize to the
/// token's text, or whose range is empty or out of bounds.
func offsetViolations(_ text: String, _ analyzer: Analyzer) -> [String] {
    let scalars = Array(text.unicodeScalars)
    var problems: [String] = []
    for token in analyzer.tokens(text) {
        guard token.start >= 0, token.start < token.end, token.end <= scalars.count else {
            problems.append("\(token) out of bounds for \(scalars.count) scalars")
            continue
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[token.start..<token.end])
        let normalized = TextNormalizer.normalize(String(view))
        if normalized != token.text {
            problems.append("\(token): original \(String(view).debugDescription) normalizes to \(normalized.debugDescription)")
        }
    }
    return problems
}
