import Foundation
import Testing

/// `shuoguo group` and `shuoguo route` as a user runs them on files.
@Suite struct MarketCommandTests {
    /// The development set's needs with their `industry` fields removed.
    private func unlabelledNeeds(in scratch: Scratch) throws -> String {
        let lines = try String(contentsOfFile: CLI.dev("needs.jsonl"), encoding: .utf8).split(separator: "\n")
        var out = ""
        for line in lines {
            var object = try jsonObject(line)
            object["industry"] = nil
            out += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        let file = scratch.file("needs-without-industry.jsonl")
        try Data(out.utf8).write(to: file)
        return file.path
    }

    @Test("group routes needs that state no industry before pooling them, and says so")
    func groupRoutesUnlabelledNeeds() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = try CLI.succeed(["group", "--needs", try unlabelledNeeds(in: scratch), "--threads", "2"])
        #expect(out.stderrLines.contains { $0.hasPrefix("364 needs without an industry were routed to one for pooling") })
        let pools = try out.stdoutLines.map(jsonObject)
        #expect(pools.count >= 40)
        for pool in pools {
            let needs = try #require(pool["needs"] as? [String])
            #expect(needs.count >= 2)
            #expect(pool["id"] is String && pool["label"] is String)
            // Industries come from the routed members: without routing they would be empty.
            #expect(!(try #require(pool["industries"] as? [String])).isEmpty)
        }
    }

    @Test("group on labelled needs routes nothing")
    func groupLeavesStatedIndustriesAlone() throws {
        let out = try CLI.succeed(["group", "--needs", CLI.dev("needs.jsonl"), "--threads", "2"])
        #expect(!out.stderr.contains("without an industry"))
        #expect(out.stdoutLines.count >= 40)
    }

    @Test("route --evaluate --labels reads another labelling; --misroutes lists what the folds got wrong")
    func routeEvaluationWithLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let misroutes = scratch.file("misroutes.tsv")
        let out = try CLI.succeed(["route", "--evaluate", "--labels", CLI.dev("labels-rules.tsv"), "--misroutes", misroutes.path])
        let grouped = try #require(out.stdoutLines.first { $0.hasPrefix("grouped  all") })
        let primary = try #require(Double(grouped.split(separator: " ", omittingEmptySubsequences: true)[3]))
        let table = try String(contentsOf: misroutes, encoding: .utf8).split(separator: "\n")
        #expect(table.first == "id\tkind\tgroup\tlabels\tcandidates\tconfidence\tunclear\ttitle")
        // Every misrouted record is listed once, so the count matches the printed accuracy.
        #expect(abs(Double(table.count - 1) - (1 - primary) * 1058) < 1)
        let refused = try CLI.run(["route", "--needs", CLI.dev("needs.jsonl"), "--labels", CLI.dev("labels-rules.tsv")])
        #expect(refused.status != 0 && refused.stderr.contains("--misroutes and --labels go with --evaluate"))
    }
}
