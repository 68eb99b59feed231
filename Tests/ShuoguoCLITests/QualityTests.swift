import Foundation
import Testing

/// A floor under the ranking quality on the bundled development set (694 achievements, 364
/// needs), measured through `shuoguo eval` exactly as a user would. When this was written the
/// engine scored nDCG@10 ≈ 0.736 (need → achievement) and ≈ 0.799 (achievement → need); the
/// floors sit a little below, so that only a real regression fails.
@Suite struct QualityTests {
    private func evaluate(direction: String, qrels: String) throws -> [String: Any] {
        let out = try CLI.succeed(["eval", "--model", try Shared.devModel.get(), "--direction", direction,
                                   "--qrels", CLI.dev(qrels), "--format", "json"])
        let object = try jsonObject(out.stdout)
        let all = try #require(object["all"] as? [String: Double])
        // Every judged query of the qrels is counted.
        let text = try String(contentsOfFile: CLI.dev(qrels), encoding: .utf8)
        let judged = Set(text.split(separator: "\n").compactMap { $0.split(separator: " ").first })
        #expect(all["queries"] == Double(judged.count))
        return object
    }

    @Test func needToAchievementNDCGAtTenStaysAboveTheFloor() throws {
        let object = try evaluate(direction: "need-to-achievement", qrels: "qrels-need.txt")
        let ndcg = try #require((object["all"] as? [String: Double])?["nDCG@10"])
        #expect(ndcg >= 0.70, "need → achievement nDCG@10 = \(ndcg)")
        // All 11 industries of the set get their own row.
        #expect(object.count == 12)
    }

    @Test func achievementToNeedNDCGAtTenStaysAboveTheFloor() throws {
        let object = try evaluate(direction: "achievement-to-need", qrels: "qrels-achievement.txt")
        let ndcg = try #require((object["all"] as? [String: Double])?["nDCG@10"])
        #expect(ndcg >= 0.75, "achievement → need nDCG@10 = \(ndcg)")
    }
}
