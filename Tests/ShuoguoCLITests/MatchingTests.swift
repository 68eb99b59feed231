import Foundation
import Testing

/// What `match` ranks: new queries folded into a saved model, and the hard filters.
@Suite struct MatchingTests {
    static let achievementIndustries: [String: [String]] = {
        var out: [String: [String]] = [:]
        let text = (try? String(contentsOfFile: CLI.fixture("achievements.jsonl"), encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["id"] as? String else { continue }
            out[id] = object["industry"] as? [String] ?? []
        }
        return out
    }()

    /// `new-needs.jsonl`: P01 is a need the model has never seen (dusty solar panels); P04 is
    /// N04 of the model under another id.
    @Test func newNeedsAreFoldedInWithoutRefitting() throws {
        let model = try Shared.fixtureModel.get()
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        let out = try CLI.succeed(["match", "--model", model, "--queries", "new-needs.jsonl", "--format", "trec", "--top", "50"])
        #expect(!out.stderr.contains("fitting"), "a folded-in query must not refit the model")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)

        let folded = RunLine.byQuery(try RunLine.parse(out.stdout))
        #expect(Set(folded.keys) == ["P01", "P04"])
        let p01 = try #require(folded["P01"])
        #expect(p01.count == Self.achievementIndustries.count)
        #expect(p01.first?.document == "C06", "the solar panel cleaning robot answers the dusty panels")

        // A need identical to a stored one ranks as the stored one: same documents, same order,
        // scores equal to the printed six decimals (one unit of rounding allowed).
        let stored = try #require(RunLine.byQuery(try RunLine.parse(try Shared.fixtureRunNeeds.get().stdout))["N04"])
        let p04 = try #require(folded["P04"])
        #expect(p04.map(\.document) == stored.map(\.document))
        for (a, b) in zip(p04, stored) {
            #expect(abs(a.score - b.score) <= 1.5e-6, "\(a.document): \(a.score) vs \(b.score)")
        }
    }

    @Test func anIndustryFilterKeepsOnlyThatIndustry() throws {
        let out = try CLI.succeed(["match", "--model", try Shared.fixtureModel.get(), "--industry", "chem", "--format", "trec", "--top", "50"])
        let chem = Set(Self.achievementIndustries.filter { $0.value.contains("chem") }.keys)
        #expect(chem.count == 5)
        let run = RunLine.byQuery(try RunLine.parse(out.stdout))
        #expect(run.count == 9)
        for (need, results) in run {
            let documents = Set(results.map(\.document))
            // Every chem listing, secondary industries included (C04 is energy first), minus
            // the same-organisation pair of N09 and C04.
            #expect(documents == (need == "N09" ? chem.subtracting(["C04"]) : chem), "\(need)")
        }
    }

    @Test func unwillingAchievementsAreExcludedOnRequest() throws {
        let unwilling: Set = ["C02", "C14"]
        let all = try RunLine.parse(try Shared.fixtureRunNeeds.get().stdout)
        #expect(unwilling.isSubset(of: Set(all.map(\.document))), "without the flag they are ranked")

        let out = try CLI.succeed(["match", "--model", try Shared.fixtureModel.get(), "--exclude-unwilling", "--format", "trec", "--top", "50"])
        let run = RunLine.byQuery(try RunLine.parse(out.stdout))
        #expect(run.count == 9)
        for (need, results) in run {
            #expect(unwilling.isDisjoint(with: results.map(\.document)), "\(need)")
            #expect(results.count == Self.achievementIndustries.count - 2 - (["N02", "N09"].contains(need) ? 1 : 0), "\(need)")
        }
    }

    /// N02 is posted by the company that owns C05; N09 by 中科院青能所, the short name (a
    /// thesaurus alias) of C04's institute. Both pairs match well on text and never appear.
    @Test func sameOrganisationPairsNeverAppear() throws {
        let byNeed = RunLine.byQuery(try RunLine.parse(try Shared.fixtureRunNeeds.get().stdout))
        let byAchievement = RunLine.byQuery(try RunLine.parse(try Shared.fixtureRunAchievements.get().stdout))
        let forbidden: [(need: String, achievement: String)] = [("N02", "C05"), ("N09", "C04")]
        for pair in forbidden {
            let needList = try #require(byNeed[pair.need]).map(\.document)
            #expect(!needList.contains(pair.achievement), "\(pair)")
            #expect(needList.count == Self.achievementIndustries.count - 1, "\(pair): only the own listing is left out")
            let achievementList = try #require(byAchievement[pair.achievement]).map(\.document)
            #expect(!achievementList.contains(pair.need), "\(pair)")
        }
        // The same listings are offered to other enterprises, at the top.
        #expect(byAchievement["C05"]?.isEmpty == false)
        #expect(byNeed["N07"]?.first?.document == "C04")
    }
}

/// A listing submitted twice is linked to its first copy, not ranked twice.
@Suite struct DuplicateListingTests {
    @Test func aResubmittedAchievementIsLinkedNotRankedTwice() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: CLI.fixture("achievements.jsonl"), encoding: .utf8)
        let first = try #require(original.split(separator: "\n").first)
        let firstID = try #require(try jsonObject(first)["id"] as? String)
        // The same listing again under a new id, with full-width punctuation and spacing changes.
        let copy = first.replacingOccurrences(of: "\"\(firstID)\"", with: "\"COPY-1\"")
            .replacingOccurrences(of: "，", with: ", ").replacingOccurrences(of: "。", with: ". ")
        let achievements = scratch.file("achievements.jsonl")
        try (original + copy + "\n").write(to: achievements, atomically: true, encoding: .utf8)
        let base = ["match", "--achievements", achievements.path, "--needs", CLI.fixture("needs.jsonl"), "--top", "20"]

        let linked = try CLI.succeed(base + ["--format", "json"])
        var sawPrimary = false
        for line in linked.stdout.split(separator: "\n") {
            let results = try #require(try jsonObject(line)["results"] as? [[String: Any]])
            let ids = results.compactMap { $0["id"] as? String }
            #expect(!ids.contains("COPY-1"))
            if let primary = results.first(where: { $0["id"] as? String == firstID }) {
                sawPrimary = true
                #expect(primary["duplicates"] as? [String] == ["COPY-1"])
            }
        }
        #expect(sawPrimary)

        let separate = try CLI.succeed(base + ["--format", "trec", "--keep-duplicates"])
        #expect(separate.stdout.contains(" COPY-1 "), "with --keep-duplicates the copy is ranked on its own")
    }
}
