import Foundation
import Testing

/// `shuoguo explain` gives one pair's reasons, in Chinese for brokers or as JSON.
@Suite struct ExplainTests {
    /// The score `match --format json` gave `candidate` for `query`.
    private func matchScore(query: String, candidate: String) throws -> Double {
        let lines = try Shared.fixtureJSON.get().stdoutLines
        let line = try #require(lines.first { $0.contains("\"query\":\"\(query)\"") })
        let object = try jsonObject(line)
        let results = try #require(object["results"] as? [[String: Any]])
        let result = try #require(results.first { $0["id"] as? String == candidate })
        return try #require(result["score"] as? Double)
    }

    @Test func chineseReportNamesBothSidesTheScoreAndTheReasons() throws {
        let out = try CLI.succeed(["explain", "--model", try Shared.fixtureModel.get(), "--need", "N01", "--achievement", "C01"])
        let lines = out.stdoutLines
        #expect(lines.first == "需求 N01：渔船船底半年就长满藤壶")
        #expect(lines.dropFirst().first == "成果 C01：船体低表面能防污涂层")
        #expect(lines.contains { $0.hasPrefix("综合得分 ") && $0.contains("文本相似") && $0.contains("元数据调整") })
        #expect(lines.contains { $0.hasPrefix("共有关键词") })
        #expect(lines.contains { $0.hasPrefix("语义概念：") })
        // The metadata of this pair agrees on industry, maturity, transfer mode and willingness.
        let agreements = try #require(lines.first { $0.hasPrefix("相符之处：") })
        for phrase in ["高端化工与新材料", "技术成熟度 4 级", "技术许可", "转化意愿强烈"] {
            #expect(agreements.contains(phrase), "\(phrase) missing from \(agreements)")
        }
        #expect(lines.contains { $0.hasPrefix("需求中成果未覆盖的要点：") })
        // The printed score is the one match gives, to three decimals.
        let scoreLine = try #require(lines.first { $0.hasPrefix("综合得分 ") })
        let printed = try #require(Double(scoreLine.dropFirst("综合得分 ".count).prefix { $0 != " " }))
        #expect(abs(printed - (try matchScore(query: "N01", candidate: "C01"))) <= 0.0005 + 1e-6)
    }

    @Test func conflictsAreReportedForAPoorFit() throws {
        // C14 (a desalination membrane) does not want to transfer (转化意愿 无) and is outside health.
        let out = try CLI.succeed(["explain", "--model", try Shared.fixtureModel.get(), "--need", "N08", "--achievement", "C14"])
        let conflicts = try #require(out.stdoutLines.first { $0.hasPrefix("不足之处：") })
        #expect(conflicts.contains("转化意愿为“无”"))
        #expect(conflicts.contains("产业不同"))
    }

    @Test func jsonScoreEqualsTheMatchScore() throws {
        let model = try Shared.fixtureModel.get()
        for (need, achievement) in [("N01", "C01"), ("N06", "C03")] {
            let out = try CLI.succeed(["explain", "--model", model, "--need", need, "--achievement", achievement, "--json"])
            let object = try jsonObject(out.stdout)
            #expect(object["needID"] as? String == need)
            #expect(object["achievementID"] as? String == achievement)
            #expect(object["direction"] as? String == "need-to-achievement")
            let score = try #require(object["score"] as? Double)
            let text = try #require(object["textScore"] as? Double), adjustment = try #require(object["adjustment"] as? Double)
            #expect(abs(score - (text + adjustment)) < 1e-6)
            // Float scores summed in a different order may differ in the last bit.
            let matched = try matchScore(query: need, candidate: achievement)
            #expect(abs(score - matched) < 1e-6, "\(need)–\(achievement): explain \(score), match \(matched)")
            #expect(object["sharedTerms"] is [Any] && object["agreements"] is [Any] && object["uncoveredNeedTerms"] is [Any])
        }
    }

    @Test func unknownIdentifiersAreNamed() throws {
        let out = try CLI.run(["explain", "--model", try Shared.fixtureModel.get(), "--need", "N77", "--achievement", "C01"])
        #expect(out.status == 1)
        #expect(out.stderrLines.last == "shuoguo: no need with id 'N77'")
    }
}
