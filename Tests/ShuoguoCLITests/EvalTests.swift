import Foundation
import Testing

/// `shuoguo eval` scores a run as ir_measures does.
///
/// The expected values below were computed once with ir_measures 0.4.3 (pytrec_eval
/// underneath, `Benchmarks/.venv`) on `Fixtures/run.txt` and `Fixtures/qrels.txt`:
///
///     ir_measures.calc_aggregate([nDCG@10, nDCG@20, AP, RR, P@5, R@10, R@50, R@100], qrels, run)
///
/// and, for the per-industry rows, the mean of `ir_measures.iter_calc` over the queries of each
/// primary industry of `Fixtures/needs.jsonl`. The fixture exercises: relevant documents deep
/// in a long list (N01), a score tie ordered by descending document id (N02), a run whose rank
/// column disagrees with its scores (N04), no relevant document retrieved (N05), a query judged
/// only with grade 0 (N06), a judged query the run leaves out (N07, scores 0), and a run query
/// without judgments (N99, ignored).
@Suite struct EvalTests {
    static let measures = ["nDCG@10", "nDCG@20", "MAP", "MRR", "P@5", "R@10", "R@50", "R@100"]

    /// In `measures` order.
    static let expected: [String: (queries: Double, values: [Double])] = [
        "all": (7, [0.33639794228541414, 0.3526123856450156, 0.26125541125541124, 0.3095238095238095,
                    0.14285714285714285, 0.4047619047619047, 0.5, 0.5]),
        "chem": (2, [0.15750149681547307, 0.21425204857407815, 0.10606060606060606, 0.16666666666666666,
                     0.1, 0.16666666666666666, 0.5, 0.5]),
        "energy": (2, [0.20655866428213998, 0.20655866428213998, 0.08333333333333333, 0.16666666666666666,
                       0.1, 0.25, 0.25, 0.25]),
        "equip": (2, [0.5, 0.5, 0.5, 0.5, 0.1, 0.5, 0.5, 0.5]),
        "light": (1, [0.626665273802673, 0.626665273802673, 0.45, 0.5, 0.4, 1.0, 1.0, 1.0]),
    ]

    private func check(_ row: Any?, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let values = try #require(row as? [String: Double], "no row \(label)", sourceLocation: sourceLocation)
        let expected = try #require(Self.expected[label])
        #expect(Set(values.keys) == Set(Self.measures + ["queries"]), sourceLocation: sourceLocation)
        #expect(values["queries"] == expected.queries, "\(label): queries", sourceLocation: sourceLocation)
        for (measure, value) in zip(Self.measures, expected.values) {
            let actual = try #require(values[measure], sourceLocation: sourceLocation)
            #expect(abs(actual - value) < 1e-9, "\(label) \(measure): \(actual), ir_measures \(value)", sourceLocation: sourceLocation)
        }
    }

    @Test func runAndQrelsGiveTheIrMeasuresValues() throws {
        let out = try CLI.succeed(["eval", "--run", "run.txt", "--qrels", "qrels.txt", "--format", "json"])
        #expect(out.stdoutLines.count == 1)
        let object = try jsonObject(out.stdout)
        #expect(Array(object.keys) == ["all"], "without a model there is nothing to group by")
        try check(object["all"], "all")
    }

    @Test func aModelSourceAddsPerIndustryRows() throws {
        let out = try CLI.succeed(["eval", "--run", "run.txt", "--qrels", "qrels.txt", "--format", "json",
                                   "--model", try Shared.fixtureModel.get()])
        let object = try jsonObject(out.stdout)
        #expect(Set(object.keys) == Set(Self.expected.keys))
        for label in Self.expected.keys { try check(object[label], label) }
        // JSON is written with sorted keys.
        let positions = try Self.expected.keys.sorted().map { label in
            try #require(out.stdout.range(of: "\"\(label)\":{")).lowerBound
        }
        #expect(positions == positions.sorted())
    }
}
