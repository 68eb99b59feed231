import Testing
@testable import ShuoguoText

@Suite("Offsets, determinism and robustness")
struct RobustnessTests {
    /// Scalars that stress the normalizer and tokenizer: CJK (including a supplementary-plane
    /// ideograph), ASCII and full-width letters and digits, joiners, signs, units, markup
    /// fragments, whitespace, zero-width and format characters, emoji, private use, combining
    /// marks, U+FFFD and control characters.
    static let palette: [Unicode.Scalar] = {
        let pieces: [String] = [
            "研究生命起源结合成分子南京市长江大桥锂离子电池檬豆粉的和与𠀀〇",
            "abcXYZ0123456789ＡＢｃ０９",
            ".-_+#,%‰℃°²㎡≥≤±~<>&;#x/!=\"' ",
            "pbrinputnbspamp",
            "\u{3000}\n\t\r\u{0B}\u{200B}\u{200D}\u{FEFF}\u{AD}😀👩\u{E000}\u{0301}\u{FFFD}\u{0007}\u{0085}ΑΩ，。、（）",
        ]
        return pieces.flatMap { Array($0.unicodeScalars) }
    }()

    static let fragments = ["<p>", "</p>", "<br/>", "<input type=\"checkbox\"/>", "&nbsp;", "&amp;", "&#20320;", "&#x41;", "<!--", "-->", "&lt;b&gt;", "PEM", "0.1mm", "≥95%"]

    static func randomText(_ rng: inout SplitMix64, length: Int) -> String {
        var text = ""
        for _ in 0..<length {
            if Int.random(in: 0..<8, using: &rng) == 0 {
                text += fragments.randomElement(using: &rng)!
            } else {
                text.unicodeScalars.append(palette.randomElement(using: &rng)!)
            }
        }
        return text
    }

    @Test("every token's original scalars normalize to its text, on random input")
    func offsetsRoundTrip() {
        var rng = SplitMix64(seed: 0x5EED)
        let analyzers = [Fixture.analyzer(), Fixture.analyzer(domain: true, indexMode: true)]
        var failures: [String] = []
        for _ in 0..<400 {
            let text = Self.randomText(&rng, length: Int.random(in: 0..<60, using: &rng))
            for analyzer in analyzers {
                failures += offsetViolations(text, analyzer).map { "\(text.debugDescription): \($0)" }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test("tokens come in text order and never overlap except bigrams and sub-words")
    func ordering() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let text = Self.randomText(&rng, length: 40)
            let main = Fixture.analyzer().tokens(text).filter { $0.kind != .bigram }
            for (a, b) in zip(main, main.dropFirst()) {
                #expect(a.end <= b.start, "\(a) then \(b) in \(text.debugDescription)")
            }
        }
    }

    @Test("random garbage never crashes and terms equal filtered tokens")
    func fuzz() {
        var rng = SplitMix64(seed: 7)
        let analyzer = Fixture.analyzer(domain: true, indexMode: true)
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 0..<50, using: &rng) {
                // Any scalar value, skipping the surrogate range that String cannot hold.
                var value = UInt32.random(in: 0...0x10FFFF, using: &rng)
                if (0xD800...0xDFFF).contains(value) { value = 0xFFFD }
                text.unicodeScalars.append(Unicode.Scalar(value)!)
            }
            let tokens = analyzer.tokens(text)
            let expected = tokens.filter { $0.kind != .symbol && !analyzer.isStopword($0.text) }.map(\.text)
            #expect(analyzer.terms(text) == expected)
            #expect(tokens.allSatisfy { !$0.text.isEmpty && $0.start < $0.end })
        }
        #expect(analyzer.tokens("").isEmpty)
        #expect(analyzer.terms("").isEmpty)
        #expect(analyzer.terms(" \n\u{3000}<br>").isEmpty)
    }

    @Test("a one-megabyte line with no spaces")
    func hugeLine() {
        let analyzer = Fixture.analyzer()
        let unit = "锂离子电池檬豆粉研究生命起源"
        let text = String(repeating: unit, count: 1_000_000 / unit.utf8.count + 1)
        let terms = analyzer.terms(text)
        let perUnit = analyzer.terms(unit)
        #expect(perUnit == ["锂离子电池", "檬豆", "豆粉", "研究", "生命", "起源"])
        #expect(terms.count >= perUnit.count * (1_000_000 / unit.utf8.count))
        let tokens = analyzer.tokens(text)
        #expect(tokens.last?.end == text.unicodeScalars.count)
    }

    @Test("the same input gives identical output from separately built analyzers")
    func determinism() throws {
        var rng = SplitMix64(seed: 2024)
        let texts = (0..<50).map { _ in Self.randomText(&rng, length: 80) }
        let first = Analyzer(lexicon: Fixture.load(domain: [Fixture.url("domain.txt")]), stopwords: Fixture.stopwords, indexMode: true)
        let second = Analyzer(lexicon: Fixture.load(domain: [Fixture.url("domain.txt")]), stopwords: Set(Fixture.stopwords.sorted().reversed()), indexMode: true)
        for text in texts {
            #expect(first.tokens(text) == second.tokens(text))
            #expect(first.terms(text) == first.terms(text))
        }
    }

    @Test("analyzers can be used from many tasks at once")
    func concurrentUse() async {
        let analyzer = Fixture.analyzer(indexMode: true)
        let text = "PEM电解槽的制备与研究，锂离子电池檬豆粉"
        let expected = analyzer.terms(text)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<16 { group.addTask { analyzer.terms(text) } }
            var all: [[String]] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }
}
