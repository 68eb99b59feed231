import Foundation
import Testing

/// `match --format trec` prints a TREC run that trec_eval, ir_measures and ranx read as it is.
@Suite struct RunFormatTests {
    /// Checks the run contract for one output: six fields, `Q0`, ranks 1…n with n ≤ `top`, scores
    /// non-increasing, every query present, only known documents.
    private func checkRun(_ text: String, queries: [String], documents: Set<String>, top: Int, tag: String,
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = try RunLine.parse(text, sourceLocation: sourceLocation)
        let grouped = RunLine.byQuery(lines)
        #expect(Set(grouped.keys) == Set(queries), "every query of the input appears, and nothing else", sourceLocation: sourceLocation)
        // Lines of one query are contiguous, queries in input order.
        var seen: [String] = []
        for line in lines where seen.last != line.query { seen.append(line.query) }
        #expect(seen == queries.filter { grouped[$0] != nil }, sourceLocation: sourceLocation)
        for (query, results) in grouped {
            #expect(results.count <= top, "\(query): more than --top results", sourceLocation: sourceLocation)
            #expect(results.map(\.rank) == Array(1...results.count), "\(query): ranks are not 1…n", sourceLocation: sourceLocation)
            for (a, b) in zip(results, results.dropFirst()) {
                #expect(a.score >= b.score, "\(query): score rises from rank \(a.rank) to \(b.rank)", sourceLocation: sourceLocation)
            }
            #expect(Set(results.map(\.document)).count == results.count, "\(query): a document appears twice", sourceLocation: sourceLocation)
            #expect(results.allSatisfy { documents.contains($0.document) }, sourceLocation: sourceLocation)
            #expect(results.allSatisfy { $0.tag == tag }, sourceLocation: sourceLocation)
            #expect(results.allSatisfy { $0.query != $0.document }, sourceLocation: sourceLocation)
        }
    }

    @Test func needToAchievementRunOnTheDevelopmentSet() throws {
        let needs = try recordIDs(CLI.dev("needs.jsonl")), achievements = try recordIDs(CLI.dev("achievements.jsonl"))
        let out = try Shared.devRunNeeds.get()
        try checkRun(out.stdout, queries: needs, documents: Set(achievements), top: 100, tag: "shuoguo")
        // 694 candidates: every need fills its 100 places.
        #expect(out.stdoutLines.count == needs.count * 100)
        // Scores carry six decimals.
        #expect(try RunLine.parse(out.stdout).allSatisfy { $0.scoreText.split(separator: ".").last?.count == 6 })
    }

    @Test func achievementToNeedRunWithItsOwnTagAndProgressOnStderr() throws {
        let needs = try recordIDs(CLI.dev("needs.jsonl")), achievements = try recordIDs(CLI.dev("achievements.jsonl"))
        let out = try CLI.succeed(["match", "--model", try Shared.devModel.get(), "--direction", "achievement-to-need",
                                   "--format", "trec", "--top", "7", "--tag", "run-b"])
        try checkRun(out.stdout, queries: achievements, documents: Set(needs), top: 7, tag: "run-b")
        #expect(out.stdoutLines.count == achievements.count * 7)
        // 694 queries is long work: progress goes to stderr, never into the run.
        #expect(out.stderrLines.contains { $0.hasPrefix("ranked 694/694 queries") })
    }

    /// `--format json`: one object per query per line, in input order, with ranked results and
    /// their reasons, and the same ranking as the TREC run.
    @Test func jsonLinesHoldOneQueryEachWithReasons() throws {
        let needs = try recordIDs(CLI.fixture("needs.jsonl"))
        let lines = try Shared.fixtureJSON.get().stdoutLines
        #expect(lines.count == needs.count)
        let run = RunLine.byQuery(try RunLine.parse(try Shared.fixtureRunNeeds.get().stdout))
        for (line, need) in zip(lines, needs) {
            // Keys are sorted.
            #expect(line.hasPrefix("{\"direction\":\"need-to-achievement\",\"query\":\"\(need)\",\"results\":["))
            let object = try jsonObject(line)
            #expect(object["title"] is String)
            let results = try #require(object["results"] as? [[String: Any]])
            #expect(results.map { $0["rank"] as? Int } == Array(1...results.count))
            let trec = try #require(run[need])
            #expect(results.map { $0["id"] as? String } == trec.map(\.document))
            for (result, line) in zip(results, trec) {
                let score = try #require(result["score"] as? Double)
                #expect(abs(score - line.score) <= 5e-7 + 1e-9, "\(need) \(line.document)")
                #expect(result["title"] is String)
                let reasons = try #require(result["reasons"] as? [String: Any], "\(need) \(line.document): no reasons")
                #expect(reasons["needID"] as? String == need && reasons["achievementID"] as? String == line.document)
            }
        }
    }

    @Test func smallMarketRunsListEveryEligibleCandidate() throws {
        let needs = try recordIDs(CLI.fixture("needs.jsonl")), achievements = try recordIDs(CLI.fixture("achievements.jsonl"))
        try checkRun(try Shared.fixtureRunNeeds.get().stdout, queries: needs, documents: Set(achievements), top: 50, tag: "shuoguo")
        try checkRun(try Shared.fixtureRunAchievements.get().stdout, queries: achievements, documents: Set(needs), top: 50, tag: "shuoguo")
        // --top above the number of candidates: all of them, less the same-organisation pairs.
        let byNeed = RunLine.byQuery(try RunLine.parse(try Shared.fixtureRunNeeds.get().stdout))
        #expect(byNeed["N01"]?.count == achievements.count)
        #expect(byNeed["N02"]?.count == achievements.count - 1)
    }
}
