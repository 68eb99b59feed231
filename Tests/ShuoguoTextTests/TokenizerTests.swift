import Testing
@testable import ShuoguoText

@Suite("Latin, numbers, symbols and boundaries")
struct TokenizerTests {
    let analyzer = Fixture.analyzer()

    @Test("abbreviations split from the Chinese words around them, with offsets")
    func mixedLatinAndCJK() {
        #expect(described(analyzer.tokens("PEM电解槽")) == ["pem@0..<3:latin", "电解槽@3..<6:word"])
        #expect(described(analyzer.tokens("IGBT模块")) == ["igbt@0..<4:latin", "模块@4..<6:word"])
        #expect(described(analyzer.tokens("eVTOL")) == ["evtol@0..<5:latin"])
        #expect(described(analyzer.tokens("5G基站")) == ["5g@0..<2:number", "基站@2..<4:word"])
    }

    @Test("numbers keep Latin and symbol units; Chinese measure words stay separate")
    func numbersWithUnits() {
        #expect(described(analyzer.tokens("0.1mm精度")) == ["0.1mm@0..<5:number", "精度@5..<7:word"])
        #expect(analyzer.texts("300℃") == ["300℃"])
        #expect(described(analyzer.tokens("≥95%")) == ["≥95%@0..<4:number"])
        #expect(analyzer.texts("-40℃ ±0.5% 25°C 10㎡ 3m²") == ["-40℃", "±0.5%", "25°c", "10㎡", "3m²"])
        #expect(described(analyzer.tokens("1200亿元")) == ["1200@0..<4:number", "亿元@4..<6:word"])
        #expect(analyzer.texts("1,200万元") == ["1,200", "万元"])
        #expect(analyzer.texts("1,2,3") == ["1", ",", "2", ",", "3"])
    }

    @Test("joiners: hyphen and dot inside identifiers, but a hyphen between numbers is a range")
    func joiners() {
        #expect(analyzer.texts("li-ion MoS2 v2.0 c++ C# covid-19 wi_fi") == ["li-ion", "mos2", "v2.0", "c++", "c#", "covid-19", "wi_fi"])
        #expect(analyzer.texts("2024-2028年") == ["2024", "-", "2028", "年"])
        #expect(analyzer.texts("a+b") == ["a", "+", "b"])
        #expect(analyzer.texts("用PEM.") == ["用", "pem", "."])
        #expect(analyzer.texts("x-") == ["x", "-"])
    }

    @Test("a sign is part of a number only in front of a digit and after a non-alphanumeric")
    func signs() {
        #expect(described(analyzer.tokens("温度-40℃")) == ["温度@0..<2:bigram", "-40℃@2..<6:number"])
        #expect(described(analyzer.tokens("a-40")) == ["a-40@0..<4:latin"])
        #expect(analyzer.texts("x >5") == ["x", ">5"])
        #expect(analyzer.texts("> 5") == [">", "5"])
    }

    @Test("full-width text tokenizes exactly like its half-width form, offsets included")
    func fullWidthEqualsHalfWidth() {
        #expect(analyzer.tokens("ＰＥＭ　电解槽") == analyzer.tokens("PEM 电解槽"))
        #expect(analyzer.tokens("５Ｇ基站，精度０.１ｍｍ") == analyzer.tokens("5G基站,精度0.1mm"))
    }

    @Test("HTML residue produces no tokens and does not shift offsets")
    func htmlResidue() {
        let text = "<p style=\"text-align: right;\">模块</p><input type=\"checkbox\"/>基站&nbsp;精度"
        let tokens = analyzer.tokens(text)
        let scalars = Array(text.unicodeScalars)
        #expect(tokens.map(\.text) == ["模块", "基站", "精度"])
        #expect(tokens.map(\.start) == Array("模基精".unicodeScalars).map { scalars.firstIndex(of: $0)! })
        #expect(tokens.map { originalSlice(text, $0.start, $0.end) } == ["模块", "基站", "精度"])
        #expect(offsetViolations(text, analyzer).isEmpty)
    }

    @Test("symbols are tokens; unknown scalars are silent boundaries")
    func boundaries() {
        #expect(described(analyzer.tokens("电池😀电池")) == ["电池@0..<2:word", "电池@3..<5:word"])
        #expect(analyzer.texts("电池👩‍🔬\u{E000}\u{FFFD}\u{0301}模块") == ["电池", "模块"])
        #expect(described(analyzer.tokens("电池，模块")) == ["电池@0..<2:word", ",@2..<3:symbol", "模块@3..<5:word"])
        #expect(analyzer.terms("电池，模块。") == ["电池", "模块"])
    }

    @Test("offsets count Unicode scalars, so supplementary-plane ideographs count once")
    func supplementaryPlane() {
        let text = "𠀀电池 IGBT"
        #expect(described(analyzer.tokens(text)) == ["𠀀@0..<1:word", "电池@1..<3:word", "igbt@4..<8:latin"])
    }

    @Test("a very long alphanumeric run is cut into 64-scalar pieces")
    func longLatinRun() {
        let text = String(repeating: "a", count: 200)
        let tokens = analyzer.tokens(text)
        #expect(tokens.map { $0.end - $0.start } == [64, 64, 64, 8])
        #expect(tokens.map(\.start) == [0, 64, 128, 192])
    }
}
