import Foundation
import Testing

/// Same input, byte-identical output: models, rankings and evaluations.
@Suite struct DeterminismTests {
    /// The second build also runs on one worker instead of two: threads never change the bytes.
    @Test func indexingTwiceWritesIdenticalModelFiles() throws {
        let first = try Shared.fixtureModel.get()
        let second = try Scratch().file("again.sgm")
        _ = try CLI.succeed(["index", "--achievements", CLI.fixture("achievements.jsonl"), "--needs", CLI.fixture("needs.jsonl"),
                             "--out", second.path, "--threads", "1"])
        let a = try Data(contentsOf: URL(fileURLWithPath: first)), b = try Data(contentsOf: second)
        #expect(a.count > 24)
        #expect(a == b)
    }

    @Test func matchingTwiceGivesIdenticalJSONAndRuns() throws {
        let model = try Shared.fixtureModel.get()
        let json = try CLI.succeed(["match", "--model", model, "--format", "json", "--top", "50"])
        #expect(!json.stdoutBytes.isEmpty)
        #expect(json.stdoutBytes == (try Shared.fixtureJSON.get().stdoutBytes))
        let run = try CLI.succeed(["match", "--model", model, "--format", "trec", "--top", "50"])
        #expect(!run.stdoutBytes.isEmpty)
        #expect(run.stdoutBytes == (try Shared.fixtureRunNeeds.get().stdoutBytes))
    }

    @Test func savedModelRanksExactlyAsAFitOnTheSpot() throws {
        let direct = try CLI.succeed(["match", "--achievements", CLI.fixture("achievements.jsonl"), "--needs", CLI.fixture("needs.jsonl"),
                                      "--format", "json", "--top", "50"])
        // The on-the-spot fit reports its work on stderr; the saved model needs none.
        #expect(direct.stderr.contains("fitting LSA"))
        #expect(direct.stdoutBytes == (try Shared.fixtureJSON.get().stdoutBytes))
    }

    /// Means over hundreds of queries must not depend on the order a hash table hands them out.
    @Test func evaluatingTwiceGivesIdenticalBytes() throws {
        let scratch = try Scratch()
        let run = scratch.file("dev.run")
        try Shared.devRunNeeds.get().stdoutBytes.write(to: run)
        let arguments = ["eval", "--run", run.path, "--qrels", CLI.dev("qrels-need.txt"), "--format", "json"]
        // Without a model source eval loads nothing else, so three runs cost little.
        let outputs = try (0..<3).map { _ in try CLI.succeed(arguments).stdoutBytes }
        #expect(!outputs[0].isEmpty)
        #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0])
    }
}
