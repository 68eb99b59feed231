import Foundation
import Testing
import ShuoguoData
import ShuoguoRanking
import ShuoguoText
@testable import ShuoguoEngine

/// Shared, loaded once: the bundled Corpus/ and jieba's dictionary from python3-jieba.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let resources: Resources = try! Resources.load(corpusDirectory: root.appendingPathComponent("Corpus"))
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let achievements = try! JSONLines.readAchievements(at: directory.appendingPathComponent("achievements.jsonl")).records
    static let needs = try! JSONLines.readNeeds(at: directory.appendingPathComponent("needs.jsonl")).records

    static var configuration: EngineConfiguration {
        var c = EngineConfiguration()
        c.useBackground = false
        c.minimumDocumentFrequency = 1
        return c
    }

    static func model(_ configuration: EngineConfiguration = Fixture.configuration) throws -> MatchModel {
        try MatchModel.build(achievements: achievements, needs: needs, resources: resources, configuration: configuration, threads: 2)
    }

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("shuoguo-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    }
}

@Suite struct ModelFileTests {
    @Test func identicalInputGivesIdenticalBytes() throws {
        let a = Fixture.temporaryFile("a.sgm"), b = Fixture.temporaryFile("b.sgm")
        try Fixture.model().save(to: a)
        try Fixture.model().save(to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test func savedModelRanksAsBuilt() throws {
        let built = try Fixture.model()
        let url = Fixture.temporaryFile("round.sgm")
        try built.save(to: url)
        let loaded = try MatchModel.load(from: url)
        #expect(loaded.achievements == built.achievements && loaded.needs == built.needs)
        #expect(loaded.tfidf == built.tfidf && loaded.lsa == built.lsa)
        for direction in Direction.allCases {
            let x = built.rank(direction, top: 5, thesaurus: Fixture.resources.thesaurus)
            let y = loaded.rank(direction, top: 5, thesaurus: Fixture.resources.thesaurus)
            #expect(x == y)
        }
    }

    @Test func corruptedTruncatedAndForeignFilesAreRefused() throws {
        let url = Fixture.temporaryFile("bad.sgm")
        try Fixture.model().save(to: url)
        let good = try Data(contentsOf: url)

        func refusal(_ bytes: Data) -> String {
            try? bytes.write(to: url)
            do {
                _ = try MatchModel.load(from: url)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        #expect(refusal(flipped).contains("checksum mismatch"))
        #expect(refusal(good.prefix(good.count - 100)).contains("truncated"))
        #expect(refusal(good.prefix(10)).contains("truncated"))
        #expect(refusal(Data("{\"not\": \"a shuoguo model but long enough\"}".utf8)).contains("not a shuoguo model"))
        var future = good
        future[8] = 99
        #expect(refusal(future).contains("format version 99"))
        #expect(refusal(Data()).contains("truncated"))
    }

    @Test func writeIsAtomic() throws {
        let url = Fixture.temporaryFile("atomic.sgm")
        try Fixture.model().save(to: url)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(".\(url.lastPathComponent)") && $0.hasSuffix(".tmp") })
    }
}

@Suite struct MatchingTests {
    @Test func symptomNeedsFindTheTechniqueThatSolvesThem() throws {
        let model = try Fixture.model()
        let rankings = model.rank(.needToAchievement, top: 3, thesaurus: Fixture.resources.thesaurus)
        let top = { (need: String) in model.achievements[rankings[model.needIndex[need]!][0].index].id }
        #expect(top("N-01") == "A-01")
        #expect(top("N-02") == "A-03")
        #expect(top("N-03") == "A-04")
    }

    @Test func sameOrganisationIsNeverPaired() throws {
        let model = try Fixture.model()
        let rankings = model.rank(.needToAchievement, top: 8, thesaurus: Fixture.resources.thesaurus)
        let ids = { (need: String) in rankings[model.needIndex[need]!].map { model.achievements[$0.index].id } }
        #expect(!ids("N-04").contains("A-06"))          // 中国海洋大学 on both sides
        #expect(!ids("N-05").contains("A-03"))          // 中科院青能所 is an alias of the need's institute
        #expect(ids("N-01").contains("A-03"))
    }

    @Test func thesaurusExpansionBridgesTheVocabularyGap() throws {
        // A resource set of its own, so the test does not depend on the bundled thesaurus's wording.
        let corpus = Fixture.root.appendingPathComponent("Corpus")
        let lexicon = try Lexicon.load(general: Lexicon.defaultGeneralDictionaryURL, domain: [corpus.appendingPathComponent("lexicon.txt")],
                                       additionalWords: ["起皮"])
        let analyzer = Analyzer(lexicon: lexicon, stopwords: Fixture.resources.analyzer.stopwords, indexMode: true)
        var thesaurus = Thesaurus()
        #expect(thesaurus.add(text: "symptom\t起皮\t附着力|表面活化\n", file: "test.tsv", analyzer: analyzer).isEmpty)
        let resources = Resources(corpusDirectory: corpus, analyzer: analyzer, thesaurus: thesaurus)
        let model = try MatchModel.build(achievements: Fixture.achievements, needs: Fixture.needs, resources: resources,
                                         configuration: Fixture.configuration)
        let need = model.needIndex["N-02"]!
        let expanded = model.query(direction: .needToAchievement, index: need, thesaurus: thesaurus)
        #expect(expanded.addedBy.values.contains("起皮→附着力"))
        let explanation = model.explain(need: need, achievement: model.achievementIndex["A-03"]!, thesaurus: thesaurus)
        #expect(explanation.sharedTerms.contains { $0.term == "附着力" && $0.via == "起皮→附着力" })
        let unexpanded = model.explain(need: need, achievement: model.achievementIndex["A-03"]!, thesaurus: nil)
        #expect(unexpanded.lexicalCosine < explanation.lexicalCosine)
        var plain = Fixture.configuration
        plain.expandQueries = false
        let without = try MatchModel.build(achievements: Fixture.achievements, needs: Fixture.needs, resources: resources, configuration: plain)
        #expect(without.query(direction: .needToAchievement, index: need, thesaurus: thesaurus).addedBy.isEmpty)
    }

    @Test func explanationAddsUpToTheRankingScore() throws {
        let model = try Fixture.model()
        let thesaurus = Fixture.resources.thesaurus
        for direction in Direction.allCases {
            let rankings = model.rank(direction, top: 4, thesaurus: thesaurus)
            for (q, ranking) in rankings.enumerated() {
                for item in ranking {
                    let (need, achievement) = direction == .needToAchievement ? (q, item.index) : (item.index, q)
                    let e = model.explain(need: need, achievement: achievement, direction: direction, thesaurus: thesaurus)
                    #expect(abs(e.score - item.score) < 1e-4)
                    #expect(abs(e.textScore + e.adjustment - e.score) < 1e-5)
                    let λ = model.configuration.lexicalWeight
                    let lexicalSum = e.sharedTerms.reduce(Float(0)) { $0 + $1.contribution }
                    #expect(lexicalSum <= λ * e.lexicalCosine + 1e-5)
                }
            }
        }
    }

    @Test func explanationNamesMetadataAndGaps() throws {
        let model = try Fixture.model()
        let e = model.explain(need: model.needIndex["N-02"]!, achievement: model.achievementIndex["A-07"]!, thesaurus: Fixture.resources.thesaurus)
        #expect(e.conflicts.contains { $0.contains("转化意愿") })
        #expect(e.conflicts.contains { $0.contains("技术成熟度 3 级") })
        #expect(e.agreements.contains { $0.contains("智能网联新能源汽车") })
        #expect(!e.uncoveredNeedTerms.isEmpty)
        let report = e.chineseReport(needTitle: "x", achievementTitle: "y")
        #expect(report.contains("综合得分") && report.contains("不足之处"))
    }

    @Test func foldInOfAStoredRecordEqualsItsStoredQuery() throws {
        let model = try Fixture.model()
        let thesaurus = Fixture.resources.thesaurus
        for (i, need) in model.needs.enumerated() {
            let stored = model.query(direction: .needToAchievement, index: i, thesaurus: thesaurus).vector
            let folded = model.foldIn(need: need, analyzer: Fixture.resources.analyzer, thesaurus: thesaurus).vector
            #expect(stored.lexical.map(\.column) == folded.lexical.map(\.column))
            #expect(zip(stored.latent, folded.latent).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func hardFiltersApply() throws {
        let model = try Fixture.model()
        var filters = MatchFilters()
        filters.excludeUnwilling = true
        filters.enforceNeedMaturity = true
        let rankings = model.rank(.needToAchievement, top: 8, filters: filters, thesaurus: Fixture.resources.thesaurus)
        for (q, ranking) in rankings.enumerated() {
            for item in ranking {
                let a = model.achievements[item.index]
                #expect(a.willingness != Willingness.none)
                if let minimum = model.needs[q].minMaturity, let maturity = a.maturity { #expect(maturity >= minimum) }
            }
        }
    }
}

@Suite struct ThesaurusTests {
    @Test func malformedLinesAreReportedAndSkipped() {
        var thesaurus = Thesaurus()
        let issues = thesaurus.add(text: "syn\t海水淡化\t脱盐\nfoo\tbar\tbaz\nsyn\tonly-two\n\n# comment\nsymptom\t涂层起皮\t附着力|\n",
                                   file: "t.tsv", analyzer: Fixture.resources.analyzer)
        #expect(issues.map(\.description) == ["t.tsv:2: unknown relation 'foo' (syn, symptom or narrower)",
                                              "t.tsv:3: expected 3 tab-separated columns, found 2"])
        let analyzer = Fixture.resources.analyzer
        #expect(thesaurus.links(matching: Set(analyzer.terms("涂层起皮"))).map(\.link.targetPhrase) == ["附着力"])
        #expect(thesaurus.links(matching: Set(analyzer.terms("附着力"))).map(\.link.targetPhrase) == ["涂层起皮"])
    }

    @Test func bundledThesaurusLoadsCleanly() {
        #expect(Fixture.resources.warnings.isEmpty, "\(Fixture.resources.warnings.prefix(5))")
        #expect(Fixture.resources.thesaurus.linkCount > 1000)
    }
}
