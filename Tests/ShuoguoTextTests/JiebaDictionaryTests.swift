import Testing
@testable import ShuoguoText

/// Hard cases against the real jieba dictionary (349,046 entries). Skipped, with a message,
/// only when the dictionary file is absent.
@Suite("Segmentation with the jieba dictionary", .enabled(if: Jieba.isAvailable, Comment(rawValue: Jieba.skipMessage)))
struct JiebaDictionaryTests {
    var analyzer: Analyzer { Analyzer(lexicon: Jieba.lexicon, stopwords: Fixture.stopwords) }

    @Test("the dictionary loads cleanly")
    func loads() {
        let lexicon = Jieba.lexicon
        #expect(lexicon.diagnostics.isEmpty)
        #expect(lexicon.wordCount > 340_000)
        #expect(lexicon.frequency(of: "互联网") == 1813)
    }

    @Test("common technical words stay whole", arguments: [
        ("基于互联网的材料制备实验室", ["基于", "互联网", "的", "材料", "制备", "实验室"]),
        ("研究生命起源", ["研究", "生命", "起源"]),
        ("南京市长江大桥", ["南京市", "长江大桥"]),
        ("结合成分子", ["结合", "成", "分子"]),
    ])
    func wholeWords(text: String, expected: [String]) {
        #expect(analyzer.texts(text) == expected)
    }

    @Test("深度学习 is one word only with the domain lexicon")
    func domainLexicon() {
        #expect(analyzer.texts("深度学习") == ["深度", "学习"])
        #expect(Analyzer(lexicon: Jieba.lexiconWithDomain, stopwords: []).texts("深度学习") == ["深度学习"])
    }

    @Test("abbreviations and units inside Chinese text")
    func abbreviationsAndUnits() {
        #expect(analyzer.texts("PEM电解槽、eVTOL飞行器、IGBT模块和5G基站") ==
            ["pem", "电解槽", "、", "evtol", "飞行器", "、", "igbt", "模块", "和", "5g", "基站"])
        #expect(analyzer.terms("定位精度0.1mm，耐温300℃，纯度≥95%") == ["定位精度", "0.1mm", "耐温", "300℃", "纯度", "≥95%"])
    }

    @Test("full-width input equals half-width input")
    func fullWidth() {
        #expect(analyzer.tokens("ＰＥＭ　电解槽，纯度≥９５％") == analyzer.tokens("PEM 电解槽,纯度≥95%"))
    }

    @Test("a name split by a stray space is segmented as one run")
    func strayWhitespace() {
        let text = "生态纺织 国家重点实验室"
        #expect(analyzer.texts(text) == analyzer.texts("生态纺织国家重点实验室"))
        #expect(analyzer.texts(text).contains("纺织"))
    }

    @Test("HTML residue from copied forms disappears")
    func htmlResidue() {
        let text = "<p style=\"text-align: right;\"><input type=\"checkbox\"/>成果转化&nbsp;</p>"
        #expect(analyzer.terms(text) == analyzer.terms("成果转化"))
        #expect(!analyzer.terms(text).isEmpty)
    }

    @Test("index mode adds dictionary sub-words of long words")
    func indexMode() {
        let index = Analyzer(lexicon: Jieba.lexicon, stopwords: [], indexMode: true)
        #expect(index.terms("中华人民共和国") == ["中华人民共和国", "中华", "华人", "人民", "共和", "共和国"])
        #expect(Analyzer(lexicon: Jieba.lexicon, stopwords: []).terms("中华人民共和国") == ["中华人民共和国"])
    }

    @Test("offsets map back on realistic text")
    func offsets() {
        let text = """
        <p>本项目研发的ＰＥＭ电解槽，单槽产氢量达到每小时200标准立方米，系统效率≥75%。</p>
        企业需求：焊缝缺陷在线识别，精度要求0.1mm；纺织 国家重点实验室&amp;海洋所联合攻关。𠀀𠀁
        """
        #expect(offsetViolations(text, analyzer).isEmpty)
        #expect(offsetViolations(text, Analyzer(lexicon: Jieba.lexicon, stopwords: [], indexMode: true)).isEmpty)
    }
}
