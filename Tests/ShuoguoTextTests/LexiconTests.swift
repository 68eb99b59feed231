import Foundation
import Testing
@testable import ShuoguoText

@Suite("Lexicon loading")
struct LexiconTests {
    @Test("jieba-format files load with frequencies and totals")
    func loadsFixture() {
        let lexicon = Fixture.generalLexicon
        #expect(lexicon.diagnostics.isEmpty)
        #expect(lexicon.wordCount == 67)
        #expect(lexicon.frequency(of: "研究生") == 200)
        #expect(lexicon.contains("长江大桥"))
        #expect(!lexicon.contains("长江大"))  // a prefix, not a word
        #expect(!lexicon.contains("深度学习"))
        #expect(lexicon.frequency(of: "不存在") == 0)
    }

    @Test("the domain lexicon adds, overrides and deletes words")
    func domainOverrides() {
        let general = Fixture.generalLexicon
        let merged = Fixture.domainLexicon
        #expect(general.frequency(of: "电解槽") == 30)
        #expect(merged.frequency(of: "电解槽") == 90)
        #expect(general.contains("市长"))
        #expect(!merged.contains("市长"))
        #expect(merged.frequency(of: "海洋科技") == 120)
        #expect(merged.frequency(of: "pem电解槽") == 50)  // stored normalized
        #expect(merged.frequency(of: "ＰＥＭ电解槽") == 50)
    }

    @Test("a word listed without a frequency gets one that beats its pieces")
    func suggestedFrequency() {
        let merged = Fixture.domainLexicon
        let f = merged.frequency(of: "深度学习")
        let totalBefore = Double(merged.totalFrequency - f)
        // jieba's suggest_freq: floor(total * P(深度) * P(学习)) + 1.
        #expect(f == Int(totalBefore * (300 / totalBefore) * (900 / totalBefore)) + 1)
        #expect(Analyzer(lexicon: Fixture.generalLexicon, stopwords: []).texts("深度学习") == ["深度", "学习"])
        #expect(Analyzer(lexicon: merged, stopwords: []).texts("深度学习") == ["深度学习"])
    }

    @Test("additional words join the lexicon like entries without a frequency")
    func additionalWords() throws {
        let lexicon = try Lexicon.load(general: Fixture.url("general.txt"), domain: [], additionalWords: ["海洋生物", "研究"])
        #expect(lexicon.frequency(of: "研究") >= 1000)  // a known word never loses frequency
        #expect(lexicon.contains("海洋生物"))
        #expect(Analyzer(lexicon: lexicon, stopwords: []).texts("海洋生物") == ["海洋生物"])
        #expect(described(Fixture.analyzer(stopwords: false).tokens("海洋生物")) == ["海洋@0..<2:word", "生物@2..<4:bigram"])
    }

    @Test("deleting a word changes the segmentation")
    func deletion() {
        #expect(Fixture.analyzer(domain: false).texts("南京市长") == ["南京", "市长"])
        #expect(Fixture.analyzer(domain: true).texts("南京市长") == ["南京市", "长"])
    }

    @Test("the total is the sum of the final frequencies")
    func totals() {
        let lexicon = Lexicon(entries: [
            .init(word: "电池", frequency: 10), .init(word: "模块", frequency: 5), .init(word: "电池", frequency: 3),
        ])
        #expect(lexicon.totalFrequency == 8)
        #expect(lexicon.wordCount == 2)
        #expect(lexicon.frequency(of: "电池") == 3)
        let removed = Lexicon(entries: [.init(word: "电池", frequency: 10), .init(word: "电池", frequency: 0)])
        #expect(removed.totalFrequency == 0)
        #expect(removed.wordCount == 0)
    }

    @Test("malformed lines are skipped and reported with file and line")
    func diagnostics() throws {
        let url = Fixture.url("malformed.txt")
        let lexicon = try Lexicon.load(general: url, domain: [])
        #expect(lexicon.diagnostics.map(\.line) == [2, 3, 4, 5])
        #expect(lexicon.diagnostics.allSatisfy { $0.file == url.path })
        #expect(lexicon.diagnostics[0].description == "\(url.path):2: frequency 'abc' of 'bad-frequency' is not an integer from 0 to 999999999999")
        #expect(lexicon.diagnostics[1].message.contains("4 fields"))
        #expect(lexicon.diagnostics[2].message.contains("UTF-8"))
        #expect(lexicon.frequency(of: "good") == 10)
        #expect(lexicon.frequency(of: "crlf") == 7)
        #expect(lexicon.frequency(of: "tabbed") == 8)
        #expect(lexicon.wordCount == 3)
    }

    @Test("a missing file is an error that names it")
    func missingFile() {
        let url = Fixture.url("does-not-exist.txt")
        #expect {
            _ = try Lexicon.load(general: Fixture.url("general.txt"), domain: [url])
        } throws: { error in
            (error as? LexiconError)?.file == url.path
        }
        #expect(throws: LexiconError.self) { _ = try Stopwords.load(url) }
    }

    @Test("stopword files: trimmed lines, blank lines and byte-order mark skipped")
    func stopwordFile() {
        #expect(Fixture.stopwords == ["的", "了", "在", "与", "AND"])
    }

    @Test("the default dictionary path honours SHUOGUO_JIEBA_DICT")
    func defaultPath() {
        let expected = ProcessInfo.processInfo.environment["SHUOGUO_JIEBA_DICT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/usr/lib/python3/dist-packages/jieba/dict.txt"
        #expect(Lexicon.defaultGeneralDictionaryURL.path == expected)
    }
}
