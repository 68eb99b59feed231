import Foundation
import Testing

/// Invalid command lines are refused before any work, with a usage error (status 64) that
/// says what to change.
@Suite struct ArgumentTests {
    private func refused(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let out = try CLI.run(arguments)
        #expect(out.status == 64, "\(arguments): status \(out.status)", sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, sourceLocation: sourceLocation)
        // Refused before reading anything: no per-file summary on stderr.
        #expect(!out.stderr.contains("accepted"), sourceLocation: sourceLocation)
        return out.stderr
    }

    @Test func aModelAndJSONLinesTogetherAreRefused() throws {
        let message = try refused(["match", "--model", "any.sgm", "--achievements", "achievements.jsonl", "--needs", "needs.jsonl"])
        #expect(message.contains("Error: give either --model or --achievements/--needs, not both"))
    }

    @Test func anUnknownIndustryCodeIsRefusedWithTheCodes() throws {
        let message = try refused(["match", "--achievements", "achievements.jsonl", "--needs", "needs.jsonl", "--industry", "mining"])
        #expect(message.contains("unknown industry code 'mining'; use one of it, ai, health, nev, lowalt, energy, equip, appliance, chem, light, future"))
    }

    @Test func aModelPathInAMissingDirectoryIsRefusedBeforeFitting() throws {
        let missing = try Scratch().file("no-such-directory")
        let message = try refused(["index", "--achievements", "achievements.jsonl", "--needs", "needs.jsonl",
                                   "--out", missing.appendingPathComponent("model.sgm").path])
        #expect(message.contains("--out: the directory \(missing.path) does not exist"))
        #expect(!message.contains("tokenizing"))
    }

    @Test func zeroResultsPerQueryIsRefused() throws {
        let message = try refused(["match", "--achievements", "achievements.jsonl", "--needs", "needs.jsonl", "--top", "0"])
        #expect(message.contains("--top must be within 1...10000"))
    }
}
