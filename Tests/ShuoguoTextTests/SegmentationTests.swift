import Testing
@testable import ShuoguoText

@Suite("Segmentation with the fixture lexicon")
struct SegmentationTests {
    let analyzer = Fixture.analyzer()

    @Test("the most probable path wins over greedy longest match", arguments: [
        ("研究生命起源", ["研究", "生命", "起源"]),   // longest-first would take 研究生
        ("结合成分子", ["结合", "成", "分子"]),       // longest-first would take 成分
        ("南京市长江大桥", ["南京市", "长江大桥"]),
        ("南京市长", ["南京", "市长"]),
        ("锂离子电池", ["锂离子电池"]),
    ])
    func bestPath(text: String, expected: [String]) {
        #expect(analyzer.texts(text) == expected)
    }

    @Test("whitespace inside a CJK run does not split it")
    func joinedRun() {
        #expect(analyzer.texts("纺织 国家重点实验室") == ["纺织", "国家", "重点实验室"])
        #expect(described(analyzer.tokens("纺织 国家")) == ["纺织@0..<2:word", "国家@3..<5:word"])
        // A word found across the removed space points at both halves of the original.
        #expect(described(analyzer.tokens("纺 织")) == ["纺织@0..<3:word"])
    }

    @Test("out-of-lexicon characters become overlapping bigrams")
    func bigramFallback() {
        #expect(described(analyzer.tokens("檬豆粉")) == ["檬豆@0..<2:bigram", "豆粉@1..<3:bigram"])
        #expect(described(analyzer.tokens("电池檬豆粉电池")) == [
            "电池@0..<2:word", "檬豆@2..<4:bigram", "豆粉@3..<5:bigram", "电池@5..<7:word",
        ])
        #expect(analyzer.terms("檬豆") == ["檬豆"])
    }

    @Test("single characters of the lexicon that join no word also pair up")
    func singleDictionaryCharacters() {
        // 和 and 成 are both words on their own; side by side on the best path they form a stretch.
        #expect(analyzer.texts("和成") == ["和成"])
        #expect(analyzer.tokens("和成").map(\.kind) == [.bigram])
    }

    @Test("a lone single character stays a one-character word")
    func loneCharacter() {
        #expect(described(analyzer.tokens("材料和分子")) == ["材料@0..<2:word", "和@2..<3:word", "分子@3..<5:word"])
        #expect(described(analyzer.tokens("檬")) == ["檬@0..<1:word"])
    }

    @Test("stopwords break stretches of loose characters and are dropped from terms")
    func stopwords() {
        #expect(described(analyzer.tokens("檬的豆")) == ["檬@0..<1:word", "的@1..<2:word", "豆@2..<3:word"])
        #expect(analyzer.terms("檬的豆") == ["檬", "豆"])
        #expect(analyzer.terms("材料的制备与研究") == ["材料", "制备", "研究"])
        #expect(Fixture.analyzer(stopwords: false).terms("材料的制备与研究") == ["材料", "的", "制备", "与", "研究"])
        // Without stopwords the loose characters pair up.
        #expect(Fixture.analyzer(stopwords: false).texts("檬的豆") == ["檬的", "的豆"])
    }

    @Test("Latin stopwords match after normalization")
    func latinStopwords() {
        #expect(analyzer.terms("PEM and IGBT AND ａｎｄ") == ["pem", "igbt"])
        #expect(analyzer.isStopword("ＡＮＤ"))
        #expect(!analyzer.isStopword("pem"))
    }

    @Test("index mode adds the two- and three-character words inside long words")
    func indexMode() {
        let index = Fixture.analyzer(indexMode: true)
        #expect(described(index.tokens("锂离子电池")) == [
            "锂离子电池@0..<5:word", "离子@1..<3:subword", "电池@3..<5:subword", "锂离子@0..<3:subword",
        ])
        #expect(index.terms("重点实验室") == ["重点实验室", "重点", "实验", "实验室"])
        #expect(index.terms("锂离子") == ["锂离子", "离子"])
        #expect(index.terms("电池") == ["电池"])
        #expect(analyzer.terms("锂离子电池") == ["锂离子电池"])
    }

    @Test("terms are the token texts without symbols and stopwords")
    func termsMatchTokens() {
        for indexMode in [false, true] {
            let a = Fixture.analyzer(indexMode: indexMode)
            let text = "<p>PEM电解槽的制备与研究，精度≥95%，檬豆粉和锂离子电池 and 重点实验室</p>"
            let expected = a.tokens(text).filter { $0.kind != .symbol && !a.isStopword($0.text) }.map(\.text)
            #expect(a.terms(text) == expected)
            #expect(!expected.isEmpty)
        }
    }
}
