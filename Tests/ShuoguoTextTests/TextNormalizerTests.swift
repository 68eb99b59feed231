import Testing
@testable import ShuoguoText

@Suite("Text normalization")
struct TextNormalizerTests {
    @Test("full-width ASCII folds to half-width and U+3000 is a space")
    func fullWidthFolding() {
        #expect(TextNormalizer.normalize("ＰＥＭ　电解槽") == "pem 电解槽")
        #expect(TextNormalizer.normalize("０.１ｍｍ，≥９５％") == "0.1mm,≥95%")
        #expect(TextNormalizer.normalize("ＡＢＣ　ｄｅｆ") == "abc def")
    }

    @Test("whitespace between CJK characters disappears; between Latin words it stays one space")
    func whitespaceInsideCJKRuns() {
        #expect(TextNormalizer.normalize("纺织 国家重点实验室") == "纺织国家重点实验室")
        #expect(TextNormalizer.normalize("纺织\n\t\u{3000} 国家") == "纺织国家")
        #expect(TextNormalizer.normalize("deep   learning") == "deep learning")
        #expect(TextNormalizer.normalize("深度 learning 模型") == "深度 learning 模型")
        #expect(TextNormalizer.normalize("  前后空白  ") == "前后空白")
        #expect(TextNormalizer.normalize("成果， 转化") == "成果, 转化")
    }

    @Test("HTML tags are removed and count as whitespace")
    func htmlTags() {
        #expect(TextNormalizer.normalize("<p style=\"text-align: right;\">锂电池</p><input type=\"checkbox\"/>正极") == "锂电池正极")
        #expect(TextNormalizer.normalize("IGBT<br>模块") == "igbt 模块")
        #expect(TextNormalizer.normalize("a<br/>b</span>c") == "a b c")
        #expect(TextNormalizer.normalize("成果<!-- 注释 <b> -->转化") == "成果转化")
    }

    @Test("text that only looks like markup is kept")
    func notTags() {
        #expect(TextNormalizer.normalize("<5%") == "<5%")
        #expect(TextNormalizer.normalize("x < y") == "x < y")
        #expect(TextNormalizer.normalize("a<b") == "a<b")
        #expect(TextNormalizer.normalize("AT&T") == "at&t")
        #expect(TextNormalizer.normalize("&unknown; &#xD800; &#;") == "&unknown; &#xd800; &#;")
    }

    @Test("entities are decoded once and never re-parsed as markup")
    func entities() {
        #expect(TextNormalizer.normalize("锂电池&nbsp;正极") == "锂电池正极")
        #expect(TextNormalizer.normalize("R&amp;D &lt;p&gt; &quot;x&quot;") == "r&d <p> \"x\"")
        #expect(TextNormalizer.normalize("&#20320;&#x597D;") == "你好")
        #expect(TextNormalizer.normalize("&#65313;&ge;5") == "a≥5")
    }

    @Test("Latin, Greek and Cyrillic capitals are lower-cased; CJK is untouched")
    func lowerCase() {
        #expect(TextNormalizer.normalize("eVTOL MoS2 ΑΒΓ ÉCOLE АБВ") == "evtol mos2 αβγ école абв")
        #expect(TextNormalizer.normalize("硕果计划") == "硕果计划")
    }

    @Test("zero-width characters are removed; other unknown scalars are kept")
    func zeroWidth() {
        #expect(TextNormalizer.normalize("纺\u{200B}织\u{FEFF}") == "纺织")
        #expect(TextNormalizer.normalize("电池😀\u{E000}\u{FFFD}") == "电池😀\u{E000}\u{FFFD}")
    }

    @Test("each normalized scalar maps back to the original scalars it came from")
    func offsetMap() {
        let mapped = TextNormalizer.normalizeWithOffsets("A&amp;Ｂ 纺 织")
        #expect(mapped.text == "a&b 纺织")
        #expect(mapped.scalarRanges == [0..<1, 1..<6, 6..<7, 7..<8, 8..<9, 10..<11])
        #expect(TextNormalizer.normalizeWithOffsets("𠀀<b>x").scalarRanges == [0..<1, 1..<2, 4..<5])
    }

    @Test("empty and whitespace-only input")
    func empty() {
        #expect(TextNormalizer.normalize("") == "")
        #expect(TextNormalizer.normalize(" \n\t\u{3000}") == "")
        #expect(TextNormalizer.normalizeWithOffsets("<br>").scalarRanges.isEmpty)
    }
}
