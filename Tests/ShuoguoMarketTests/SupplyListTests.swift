import Foundation
import Testing
import ShuoguoData
import ShuoguoEngine
@testable import ShuoguoMarket

@Suite struct SupplyListTests {
    @Test func onlyTheIndustrysAchievementsAppear() throws {
        for industry in [Industry.equip, .energy, .light] {
            let list = try SupplyFixture.list(industry)
            for entry in list.entries {
                if entry.membership == .labelled {
                    #expect(entry.achievement.industry.contains(industry), "\(entry.achievement.id) listed under \(industry)")
                } else {
                    #expect(entry.achievement.industry.isEmpty)
                }
            }
            let labelled = SupplyFixture.achievements.filter { $0.industry.contains(industry) }.map(\.id)
            #expect(Set(list.entries.filter { $0.membership == .labelled }.map(\.achievement.id)) == Set(labelled))
        }
        // A secondary industry counts: E04 lists it second.
        #expect(try SupplyFixture.list(.it).entries.map(\.achievement.id) == ["E04"])
    }

    @Test func anUnlabelledAchievementJoinsItsNearestIndustryAsInferred() throws {
        let energy = try SupplyFixture.list(.energy)
        let g04 = try #require(energy.entries.first { $0.achievement.id == "G04" })
        #expect(g04.membership == .inferred)
        #expect(energy.inferredCount == 1)
        for industry in Industry.allCases where industry != .energy {
            #expect(try !SupplyFixture.list(industry).entries.contains { $0.achievement.id == "G04" })
        }
        // With a margin no centroid can clear, it joins nothing.
        let strict = try SupplyScoring(inferenceMargin: 2)
        let request = try SupplyListRequest(industry: .energy, generated: "2025-08-01", scoring: strict)
        let list = try SupplyList.build(model: SupplyFixture.model, taxonomy: SupplyFixture.taxonomy, thesaurus: nil, request: request)
        #expect(!list.entries.contains { $0.achievement.id == "G04" })
    }

    @Test func itemsDatedOnOrAfterTheSinceDateAreNew() throws {
        let list = try SupplyFixture.list(.equip, since: "2025-03-01")
        let new = Set(list.entries.filter(\.isNew).map(\.achievement.id))
        #expect(new == ["E01", "W1", "W2"])  // 2025-05-10, 2025-03-01 (the day itself); E05 has no date
        #expect(list.newCount == 3)
        #expect(Set(list.needs.filter(\.isNew).map(\.need.id)) == ["N01"])
        let none = try SupplyFixture.list(.equip, since: nil)
        #expect(none.entries.allSatisfy { !$0.isNew } && none.needs.allSatisfy { !$0.isNew })
        let later = try SupplyFixture.list(.equip, since: "2025-05-11")
        #expect(later.newCount == 0)
    }

    @Test func noWillingnessRanksBelowAnEqualAchievementWithStrongWillingness() throws {
        let list = try SupplyFixture.list(.equip)
        let strong = try #require(list.entries.first { $0.achievement.id == "W1" })
        let none = try #require(list.entries.first { $0.achievement.id == "W2" })
        #expect(abs(strong.fit - none.fit) < 1e-6)
        #expect(strong.rank < none.rank)
        #expect(abs((strong.score - none.score) - 0.4 * 0.3) < 1e-6)
    }

    @Test func theOrderFollowsTheDocumentedFormula() throws {
        let list = try SupplyFixture.list(.equip)
        let scoring = SupplyScoring.standard
        let largest = try #require(list.entries.map(\.cosine).max())
        #expect(list.entries.filter { $0.fit == 1 }.map(\.cosine) == [largest])
        for entry in list.entries {
            #expect(abs(entry.fit - max(0, entry.cosine) / largest) < 1e-12)
            let a = entry.achievement
            let will = a.willingness == .strong ? 1.0 : a.willingness == Willingness.none ? 0 : 0.5
            let grade = 0.4 * Double(a.maturity! - 1) / 4 + 0.3 * Double(a.advancement! - 1) / 4 + 0.3 * will
            #expect(abs(entry.grade - grade) < 1e-12)
            #expect(abs(entry.score - (0.6 * entry.fit + 0.4 * grade)) < 1e-12)
            #expect(abs(scoring.score(fit: entry.fit, grade: entry.grade) - entry.score) < 1e-12)
        }
        #expect(list.entries.map(\.rank) == Array(1...list.entries.count))
        for (a, b) in zip(list.entries, list.entries.dropFirst()) { #expect(a.score >= b.score) }
        // The divisor is the whole industry's: a track keeps every member's fit.
        let robots = try SupplyFixture.list(.equip, track: "工业机器人")
        for entry in robots.entries {
            #expect(entry.fit == list.entries.first { $0.achievement.id == entry.achievement.id }?.fit)
        }
        // Members sit closer to their own industry's centroid than to another's.
        let e03 = try #require(list.entries.first { $0.achievement.id == "E03" })
        let affinity = IndustryAffinity(model: SupplyFixture.model)
        let row = SupplyFixture.achievements.firstIndex { $0.id == "E03" }!
        #expect(Double(affinity.achievementFits[row, IndustryAffinity.column(of: .light)]) < e03.cosine)
    }

    @Test func aTrackRestrictsTheListAndItsNeeds() throws {
        let robots = try SupplyFixture.list(.equip, track: "机器人")  // an alias of 工业机器人
        #expect(robots.track == "工业机器人")
        #expect(Set(robots.entries.map(\.achievement.id)) == ["E01", "E02", "W1", "W2"])
        #expect(robots.needs.map(\.need.id) == ["N01"])
        #expect(robots.title == "科技创新供给清单 · 智能装备 · 工业机器人")
        let machineTools = try SupplyFixture.list(.equip, track: "高端数控机床")
        #expect(machineTools.entries.map(\.achievement.id) == ["E03"])
        #expect(throws: SupplyListError.unknownTrack(industry: .equip, track: "氢能",
                                                   known: ["工业机器人", "高端数控机床", "轨道交通装备", "海洋工程装备"])) {
            try SupplyFixture.list(.equip, track: "氢能")
        }
    }

    @Test func needsCarryTheirBestMatchesFromTheList() throws {
        let list = try SupplyFixture.list(.equip)
        #expect(Set(list.needs.map(\.need.id)) == ["N01", "N02"])
        let listed = Set(list.entries.map(\.achievement.id))
        for need in list.needs {
            #expect(!need.matches.isEmpty && need.matches.count <= 3)
            #expect(need.matches.allSatisfy { listed.contains($0.id) })
            for (a, b) in zip(need.matches, need.matches.dropFirst()) { #expect(a.score >= b.score) }
        }
        #expect(list.needs.first { $0.need.id == "N02" }?.matches.first?.id == "E03")
        #expect(list.needs.first { $0.need.id == "N01" }?.matches.first.map { ["W1", "W2", "E01"].contains($0.id) } == true)
        // The achievement side records the same pairs.
        for entry in list.entries {
            for link in entry.matchedNeeds {
                let need = try #require(list.needs.first { $0.need.id == link.id })
                #expect(need.matches.contains { $0.id == entry.achievement.id })
            }
        }
        let pairs = list.needs.reduce(0) { $0 + $1.matches.count }
        #expect(list.entries.reduce(0) { $0 + $1.matchedNeeds.count } == pairs)
    }

    @Test func topShortensTheListButNotTheChoiceOfMatches() throws {
        let full = try SupplyFixture.list(.equip)
        let head = try SupplyFixture.list(.equip, top: 2)
        #expect(head.entries.map(\.achievement.id) == full.entries.prefix(2).map(\.achievement.id))
        #expect(head.candidateCount == full.entries.count && head.entries.count == 2)
        // Needs still pick from the whole industry list, with its positions.
        #expect(head.needs.map { $0.matches.map(\.id) } == full.needs.map { $0.matches.map(\.id) })
        for need in head.needs {
            for match in need.matches {
                #expect(full.entries[match.listRank - 1].achievement.id == match.id)
            }
        }
        #expect(head.entries.map(\.matchedNeeds) == full.entries.prefix(2).map(\.matchedNeeds))
    }

    @Test func pairsBelowTheFloorAreNotProposed() throws {
        let full = try SupplyFixture.list(.equip)
        let scores = full.needs.flatMap { $0.matches.map(\.score) }
        #expect(!scores.isEmpty && scores.allSatisfy { $0 >= 0.15 })
        let floor = try #require(scores.sorted().dropFirst(scores.count / 2).first)
        let request = try SupplyListRequest(industry: .equip, generated: "2025-08-01", minimumMatchScore: floor)
        let raised = try SupplyList.build(model: SupplyFixture.model, taxonomy: SupplyFixture.taxonomy,
                                          thesaurus: SupplyFixture.resources.thesaurus, request: request)
        let kept = raised.needs.flatMap { $0.matches.map(\.score) }
        #expect(kept.allSatisfy { $0 >= floor } && kept.count == scores.filter { $0 >= floor }.count && kept.count < scores.count)
        #expect(raised.entries.reduce(0) { $0 + $1.matchedNeeds.count } == kept.count)
    }

    @Test func theSameInputGivesByteIdenticalExports() throws {
        var configuration = EngineConfiguration()
        configuration.useBackground = false
        configuration.minimumDocumentFrequency = 1
        let rebuilt = try MatchModel.build(achievements: SupplyFixture.achievements, needs: SupplyFixture.needs,
                                           resources: SupplyFixture.resources, configuration: configuration, threads: 2)
        let first = try SupplyFixture.list(.equip)
        let second = try SupplyFixture.list(.equip, model: rebuilt)
        #expect(first == second)
        for format in SupplyListFormat.allCases {
            #expect(try first.export(format) == second.export(format), "\(format)")
        }
    }

    @Test func theJSONCarriesTheFormulaTheDatesAndEveryField() throws {
        let list = try SupplyFixture.list(.equip)
        let object = try #require(try JSONSerialization.jsonObject(with: list.export(.json)) as? [String: Any])
        #expect(object["since"] as? String == "2025-03-01")
        #expect(object["generated"] as? String == "2025-08-01")
        #expect(object["title"] as? String == "科技创新供给清单 · 智能装备")
        let formula = try #require(object["formula"] as? [String: Any])
        #expect((formula["text"] as? String)?.hasPrefix("综合评分 = 0.6×匹配度 + 0.4×等级分") == true)
        #expect(formula["fit_weight"] as? Double == 0.6)
        let achievements = try #require(object["achievements"] as? [[String: Any]])
        #expect(achievements.count == list.entries.count)
        let first = achievements[0]
        let record = try #require(first["record"] as? [String: Any])
        #expect(record["summary"] as? String == list.entries[0].achievement.summary)
        #expect(record["transfer_modes"] as? [String] == ["license", "co_develop"])
        #expect(first["new"] as? Bool == list.entries[0].isNew)
        let needs = try #require(object["needs"] as? [[String: Any]])
        #expect(needs.map { $0["id"] as? String } == list.needs.map(\.need.id))
        // The keys come out sorted, so the text is stable.
        let text = String(decoding: try list.export(.json), as: UTF8.self)
        let keys = ["\"achievements\"", "\"counts\"", "\"formula\"", "\"generated\"", "\"industry\"", "\"needs\"", "\"since\""]
        let positions = keys.map { text.range(of: "\n  " + $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func requestsRejectBadDatesAndCounts() {
        #expect(throws: SupplyListError.invalidDate(option: "since", value: "2025-02-30")) {
            try SupplyListRequest(industry: .equip, since: "2025-02-30", generated: "2025-08-01")
        }
        #expect(throws: SupplyListError.invalidDate(option: "generated", value: "2025/08/01")) {
            try SupplyListRequest(industry: .equip, generated: "2025/08/01")
        }
        #expect(throws: SupplyListError.self) { try SupplyListRequest(industry: .equip, generated: "2025-08-01", top: 0) }
        #expect(throws: SupplyListError.self) { try SupplyScoring(fitWeight: 0.7, gradeWeight: 0.4) }
        #expect(throws: SupplyListError.self) { try SupplyScoring(maturityWeight: -0.1, advancementWeight: 0.8) }
        #expect(SupplyListError.unknownTrack(industry: .ai, track: "x", known: ["人形机器人"]).description.contains("人形机器人"))
    }
}
