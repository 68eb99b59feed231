import Foundation

/// Chinese technical text analysis: normalization, tokenization and segmentation.
///
/// The pipeline, for every input string:
///
/// 1. ``TextNormalizer`` folds widths, strips HTML residue, removes whitespace between CJK
///    characters and lower-cases Latin.
/// 2. The normalized text splits into CJK runs, Latin/number tokens, symbols and boundaries
///    (unknown scalars such as emoji, private-use characters, combining marks and U+FFFD).
///    Mixed text splits where the script changes: "PEM电解槽" is `pem` + `电解槽`, "0.1mm精度"
///    is `0.1mm` + `精度`.
/// 3. Each CJK run is segmented on the most probable path through the lexicon (see
///    ``Lexicon``), as jieba does without its HMM.
/// 4. Characters left alone on that path are handled as out-of-lexicon text: a stretch of two
///    or more of them, not counting stopwords, becomes overlapping bigrams ("檬豆粉" →
///    `檬豆`, `豆粉`); a single one stays a one-character ``Token/Kind/word``.
/// 5. In index mode, every word longer than two characters is followed by the two- and
///    three-character lexicon words inside it, as ``Token/Kind/subword`` tokens
///    ("锂离子电池" → `锂离子电池`, `锂离子`, `离子`, `电池`, …).
///
/// Output is deterministic: the same analyzer and input always give the same tokens.
/// An analyzer is immutable and safe to share between threads.
public struct Analyzer: Sendable {
    public let lexicon: Lexicon
    /// The stopwords, normalized.
    public let stopwords: Set<String>
    /// Whether sub-words of long words are emitted.
    public let indexMode: Bool

    /// Stopwords as a trie whose word nodes have value 0.
    private let stopTrie: PackedTrie

    /// - Parameters:
    ///   - lexicon: The segmentation dictionary.
    ///   - stopwords: Terms dropped by ``terms(_:)``. They are normalized first, so "ＡＮＤ"
    ///     and "and" are the same stopword. A stopword also stops a stretch of loose
    ///     characters from forming bigrams across it.
    ///   - indexMode: Also emit sub-words of long words (for indexing, to improve recall).
    public init(lexicon: Lexicon, stopwords: Set<String>, indexMode: Bool = false) {
        self.lexicon = lexicon
        self.indexMode = indexMode
        var normalized = Set<String>()
        var trie = ScalarTrie(expectedNodes: stopwords.count * 2 + 16)
        var values = [PackedTrie.noValue]
        for word in stopwords {
            let text = TextNormalizer.normalize(word)
            guard !text.isEmpty else { continue }
            normalized.insert(text)
            let node = Int(trie.insert(text.unicodeScalars.lazy.map(\.value)))
            while values.count < trie.nodeCount { values.append(PackedTrie.noValue) }
            values[node] = 0
        }
        self.stopwords = normalized
        var renumbered: [Int32] = []
        stopTrie = PackedTrie(trie, values: values, renumbered: &renumbered)
    }

    /// Every token of `text`, in text order, with offsets into the original string.
    ///
    /// Stopwords and symbols are included (a stopword keeps its kind; test it with
    /// ``isStopword(_:)``). In index mode a word's sub-words follow the word. Boundary scalars
    /// produce no token.
    ///
    /// - Complexity: O(*n*) in the length of `text` (lexicon words have bounded length).
    public func tokens(_ text: String) -> [Token] {
        withScanner { scanner in
            ScanBuffers.with(text, offsets: true) { buffers in
                var sink = TokenCollector(buffers: buffers)
                scanner.scan(buffers, into: &sink)
                return sink.tokens
            }
        }
    }

    /// The indexing terms of `text`: token texts in text order, without symbols and
    /// stopwords, with sub-words in index mode. The fast path: no offsets are kept and no
    /// `Token` is built.
    ///
    /// - Complexity: O(*n*) in the length of `text`.
    public func terms(_ text: String) -> [String] {
        withScanner { scanner in
            ScanBuffers.with(text, offsets: false) { buffers in
                var sink = TermCollector(scalars: buffers.scalars, scanner: scanner)
                sink.terms.reserveCapacity(buffers.count / 2)
                scanner.scan(buffers, into: &sink)
                return sink.terms
            }
        }
    }

    /// Whether `term` is a stopword after normalization.
    public func isStopword(_ term: String) -> Bool {
        stopwords.contains(TextNormalizer.normalize(term))
    }

    private func withScanner<R>(_ body: (Scanner) -> R) -> R {
        lexicon.trie.withView { lexiconView in
            stopTrie.withView { stopView in
                body(Scanner(
                    lexicon: lexiconView,
                    unknownLogProbability: lexicon.unknownLogProbability,
                    stopwords: stopView,
                    indexMode: indexMode))
            }
        }
    }
}

private struct TokenCollector: TokenSink {
    let buffers: ScanBuffers
    var tokens: [Token] = []

    mutating func emit(_ kind: Token.Kind, _ start: Int, _ end: Int) {
        tokens.append(Token(
            text: TextNormalizer.makeString(buffers.scalars + start, count: end - start),
            start: buffers.starts![start],
            end: buffers.ends![end - 1],
            kind: kind))
    }
}

private struct TermCollector: TokenSink {
    let scalars: UnsafeMutablePointer<UInt32>
    let scanner: Scanner
    var terms: [String] = []

    @inline(__always)
    mutating func emit(_ kind: Token.Kind, _ start: Int, _ end: Int) {
        if kind == .symbol || scanner.isStopword(scalars, start, end) { return }
        terms.append(TextNormalizer.makeString(scalars + start, count: end - start))
    }
}

/// Stopword lists.
public enum Stopwords {
    /// Reads a stopword file: UTF-8, one stopword per line; surrounding whitespace is trimmed
    /// and blank lines are skipped.
    ///
    /// - Throws: ``LexiconError`` when the file cannot be read or is not UTF-8.
    public static func load(_ url: URL) throws -> Set<String> {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LexiconError(file: url.path, reason: "cannot read file (\(error.localizedDescription))")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw LexiconError(file: url.path, reason: "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var words = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let word = line.trimmingCharacters(in: .whitespaces)
            if !word.isEmpty { words.insert(word) }
        }
        return words
    }
}
