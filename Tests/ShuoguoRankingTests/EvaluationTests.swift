import Foundation
import Testing
@testable import ShuoguoRanking

/// Expected values were computed with ir_measures 0.4.3 (pytrec_eval) on the two fixture files:
/// `ir_measures.calc_aggregate([nDCG@10, nDCG@20, AP, RR, P@5, R@10, R@50, R@100], qrels, run)`.
/// The fixture has score ties (trec_eval orders them by document id, descending), a judged
/// non-relevant document ranked first, an unjudged document, a query whose judgments are all 0,
/// and a run query with no judgments at all (left out of the mean).
@Suite struct EvaluationTests {
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func matchesIrMeasures() throws {
        let qrels = Qrels.parse(try Self.fixture("qrels.txt"))
        let run = Run.parse(try Self.fixture("run.txt"))
        #expect(qrels.errors.isEmpty && run.errors.isEmpty)
        let perQuery = Evaluator.perQuery(run: run.run, qrels: qrels.qrels)
        #expect(perQuery.count == 4)
        let mean = Evaluator.mean(perQuery).means["all"]!
        let expected: [Measure: Double] = [
            .ndcg10: 0.36876877641001443, .ndcg20: 0.36876877641001443, .map: 0.33958333333333335, .mrr: 0.3333333333333333,
            .p5: 0.25, .recall10: 0.4375, .recall50: 0.4375, .recall100: 0.4375,
        ]
        for (measure, value) in expected { #expect(abs(mean[measure]! - value) < 1e-9, "\(measure)") }
        #expect(abs(perQuery["N1"]![.ndcg10]! - 0.4750751056400577) < 1e-9)
        #expect(perQuery["N2"]![.map]! == 1.0)
        #expect(perQuery["N1"]![.mrr]! == 1.0 / 3)
    }

    @Test func judgedQueriesMissingFromTheRunScoreZero() {
        // ir_measures 0.4.3 on these two files gives nDCG@10 = 0.5: N2 is judged, not ranked.
        let qrels = Qrels.parse("N1 0 A1 3\nN2 0 A2 1\n").qrels
        let run = Run.parse("N1 Q0 A1 1 0.5 t\nN9 Q0 A1 1 0.5 t\n").run
        let perQuery = Evaluator.perQuery(run: run, qrels: qrels)
        #expect(Set(perQuery.keys) == ["N1", "N2"])
        let (means, counts) = Evaluator.mean(perQuery)
        #expect(means["all"]![.ndcg10] == 0.5 && counts["all"] == 2)
    }

    @Test func malformedLinesAreNamed() {
        let parsed = Qrels.parse("N1 0 A1 3\nN1 0 A2\nN1 0 A3 x\n", file: "q.txt")
        #expect(parsed.errors.map(\.description) == [
            "q.txt:2: expected 4 fields (query 0 document grade), found 3",
            "q.txt:3: grade 'x' is not an integer",
        ])
        #expect(parsed.qrels.judgments["N1"] == ["A1": 3])
        let run = Run.parse("N1 Q0 A1 1 nan t\n", file: "r.txt")
        #expect(run.errors.first?.description == "r.txt:1: score 'nan' is not a finite number")
    }

    @Test func runFormatRoundTrips() {
        let text = Run.format(query: "N1", results: [("A2", 0.5), ("A1", -0.25)], tag: "x")
        #expect(text == "N1 Q0 A2 1 0.500000 x\nN1 Q0 A1 2 -0.250000 x\n")
        #expect(Run.parse(text).run.rankings["N1"]!.map(\.document) == ["A2", "A1"])
    }
}
