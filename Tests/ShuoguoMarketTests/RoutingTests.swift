import Foundation
import Testing
import ShuoguoData
@testable import ShuoguoMarket

@Suite struct RoutingTests {
    typealias F = RoutingFixture

    static func need(_ id: String, _ title: String, _ description: String, industry: [Industry] = []) -> MarketRecord {
        .need(Need(id: id, title: title, description: description, industry: industry))
    }

    @Test("topic-grouped 5-fold cross-validation: routed records are at least 90% right, and most are routed")
    func groupedCrossValidation() throws {
        let decisions = try RoutingEvaluation.crossValidate(F.examples, resources: F.resources, taxonomy: F.taxonomy,
                                                            folds: 5, split: .grouped, threads: 2)
        let s = RoutingEvaluation.summarize(F.examples, decisions, taxonomy: F.taxonomy)
        #expect(s.examples == F.examples.count)
        #expect(s.routedAccuracy >= 0.9)
        #expect(s.coverage >= 0.65)
        #expect(s.primaryAccuracy >= 0.75)
        #expect(s.overlapAccuracy >= 0.85)
        #expect(s.marineAccuracy >= 0.85)
        // Unclear records carry no industries; routed ones always do.
        #expect(decisions.allSatisfy { $0.unclear == $0.industries.isEmpty })
    }

    @Test("the misroute table lists exactly the records whose best guess is not the labelled primary")
    func misrouteTable() {
        let wind = Self.need("W1", "风机齿轮箱振动预警", "风电机组齿轮箱振动在线监测与故障预警，海上风电场\t运维。")
        let decisions = F.model.route([wind, wind])
        let guess = decisions[0].candidates[0].industry
        let other = Industry.allCases.first { $0 != guess }!
        let examples = [RoutingExample(record: wind, industries: [guess], marine: nil, track: nil, group: "g1"),
                        RoutingExample(record: wind, industries: [other, guess], marine: nil, track: nil, group: "g2")]
        let lines = RoutingEvaluation.misrouteTable(examples, decisions).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == "id\tkind\tgroup\tlabels\tcandidates\tconfidence\tunclear\ttitle")
        let fields = lines[1].split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == 8)
        #expect(fields[0] == "W1" && fields[1] == "need" && fields[2] == "g2")
        #expect(fields[3] == "\(other.rawValue),\(guess.rawValue)")
        #expect(fields[4].hasPrefix("\(guess.rawValue):"))
    }

    @Test("another labelling replaces the examples' industries; bad lines are named")
    func relabelFromFile() throws {
        let rules = try RoutingTrainingSet.relabel(F.examples, from: F.corpus.appendingPathComponent("dev/labels-rules.tsv"))
        #expect(rules.count == F.examples.count)
        #expect(zip(rules, F.examples).allSatisfy { $0.record == $1.record && $0.group == $1.group })
        let changed = zip(rules, F.examples).filter { $0.industries[0] != $1.industries[0] }
        #expect(changed.count == 212)
        #expect(changed.allSatisfy { $0.0.track == nil })

        let file = F.temporaryFile("labels.tsv")
        defer { try? FileManager.default.removeItem(at: file) }
        func attempt(_ lines: [String]) throws(RoutingError) -> [RoutingExample] {
            try! Data((["id\tindustry"] + lines).joined(separator: "\n").utf8).write(to: file)
            return try RoutingTrainingSet.relabel(F.examples, from: file)
        }
        let all = F.examples.map { "\($0.record.id)\tlight,chem" }
        let relabelled = try attempt(all)
        #expect(relabelled.allSatisfy { $0.industries == [.light, .chem] })
        #expect(throws: RoutingError.invalid(file: file.lastPathComponent, line: 2, field: "industry", reason: "unknown industry code 'food'")) {
            try attempt(["\(F.examples[0].record.id)\tfood"] + all.dropFirst())
        }
        #expect(throws: RoutingError.invalid(file: file.lastPathComponent, line: all.count + 2, field: "id", reason: "'Z9999' is not a labelled record of the development set")) {
            try attempt(all + ["Z9999\tit"])
        }
        #expect(throws: RoutingError.invalid(file: file.lastPathComponent, line: nil, field: "id", reason: "no line for '\(F.examples.last!.record.id)'")) {
            try attempt(Array(all.dropLast()))
        }
    }

    @Test("grouped folds never split a topic; random folds do")
    func foldsRespectGroups() {
        let grouped = RoutingEvaluation.folds(F.examples, count: 5, split: .grouped)
        let random = RoutingEvaluation.folds(F.examples, count: 5, split: .random)
        func straddling(_ fold: [Int]) -> Int {
            Dictionary(grouping: F.examples.indices, by: { F.examples[$0].group }).values.filter { Set($0.map { fold[$0] }).count > 1 }.count
        }
        #expect(straddling(grouped) == 0)
        #expect(straddling(random) > 0)
        let sizes = (0..<5).map { f in grouped.filter { $0 == f }.count }
        #expect(sizes.max()! - sizes.min()! <= 10)
        #expect(RoutingEvaluation.folds(F.examples, count: 5, split: .grouped) == grouped)
    }

    @Test("a record's own industry field is compared with, never used for, its route")
    func labelIsNotAFeature() {
        let text = "风电机组齿轮箱振动在线监测与故障预警，采集加速度信号，提前发现轴承剥落。"
        let plain = Self.need("X1", "风机齿轮箱振动预警", text)
        let labelled = Self.need("X1", "风机齿轮箱振动预警", text, industry: [.light])
        let routed = F.model.route([plain, labelled])
        #expect(routed[0] == routed[1])
    }

    @Test("routing a development record leaves that record out of its own neighbours")
    func ownRecordIsLeftOut() {
        let records = F.examples.prefix(40).map(\.record)
        for (record, decision) in zip(records, F.model.route(Array(records))) {
            #expect(!decision.neighbours.contains(record.id))
        }
    }

    @Test("clear texts route to their industry with a track; empty wording goes to the unclear queue")
    func clearAndUnclear() {
        let records = [
            Self.need("C1", "海上风电风机叶片前缘腐蚀巡检", "海上风电场风机叶片前缘被雨蚀，想用无人机定期巡检叶片，识别裂纹和前缘腐蚀。"),
            Self.need("C2", "锂电池正极材料烧结一致性差", "磷酸铁锂正极材料烧结后批次间压实密度波动大，动力电池循环寿命不稳定。"),
            Self.need("C3", "请联系我们", "详情面谈。"),
        ]
        let routed = F.model.route(records)
        #expect(routed[0].industries.first == .energy)
        #expect(routed[0].tracks.contains { $0.track == "海上风电" })
        #expect(routed[0].marine)
        #expect(!routed[1].unclear)
        #expect([.nev, .energy, .chem].contains(routed[1].industries.first!))
        #expect(routed[2].unclear && routed[2].industries.isEmpty)
        #expect(routed.allSatisfy { (0...1).contains($0.confidence) && (0...1).contains($0.marineConfidence) })
        #expect(routed.allSatisfy { abs($0.probabilities.reduce(0, +) - 1) < 1e-9 })
    }

    @Test("routing is deterministic and does not depend on the thread count or block size")
    func deterministic() {
        let records = F.examples.prefix(300).map(\.record)
        let one = F.model.route(Array(records), threads: 1)
        let two = F.model.route(Array(records), threads: 2, blockSize: 64)
        #expect(one == two)
        let lines = zip(records, one).map { JSONValue.object(RoutingResult.assemble(record: $0, decision: $1, table: F.table).jsonObject(table: F.table)).serialized }
        let again = zip(records, two).map { JSONValue.object(RoutingResult.assemble(record: $0, decision: $1, table: F.table).jsonObject(table: F.table)).serialized }
        #expect(lines == again)
    }

    @Test("legacy chain names and industry names are read through the crosswalk; unknown tags keep the line rejected")
    func legacyTags() {
        let text = """
            {"id":"L1","title":"电驱系统扁线电机","description":"扁线电机绕组发热","industry":["新能源汽车"]}
            {"id":"L2","title":"高铁转向架监测","description":"转向架轴承温度在线监测","industry":["轨道交通装备","it"]}
            {"id":"L3","title":"海洋牧场网箱","description":"深远海养殖","industry":["不存在的产业链"]}
            {"id":"L4","title":"人工智能质检","description":"视觉检测","industry":["人工智能"]}
            {"id":"L5","title":"缺描述"}
            {"id":"L1","title":"重复编号","description":"后一行占用了第一行的编号"}
            """
        let input = RoutingInput.read(data: Data(text.utf8), fileName: "legacy.jsonl", needs: true, taxonomy: F.taxonomy)
        #expect(input.records.map(\.id) == ["L1", "L2", "L4"])
        #expect(input.records.map(\.industry) == [[.nev], [.equip, .it], [.ai]])
        #expect(input.legacy[0] == [LegacyTag(tag: "新能源汽车", industries: [.nev], marine: false)])
        #expect(input.notes.contains { $0.hasPrefix("legacy.jsonl:1: industry:") && $0.contains("新能源汽车") })
        #expect(input.issues.contains { $0.line == 3 && $0.field == "industry" })
        #expect(input.issues.contains { $0.line == 5 && $0.field == "description" })
        #expect(input.records[0].title == "电驱系统扁线电机")
        #expect(input.issues.contains { $0.line == 6 && $0.field == "id" && $0.reason == "duplicate id 'L1' (first at line 1)" })
        #expect(input.issues.map(\.line) == input.issues.map(\.line).sorted())
        #expect(input.issues.allSatisfy { $0.description.hasPrefix("legacy.jsonl:\($0.line):") })
    }

    @Test("phrase distributions move towards how labelled records use a phrase")
    func keywordEvidenceLearns() {
        let evidence = F.model.evidence
        let terms = F.resources.analyzer.terms("导管表面亲水涂层")
        let before = evidence.scores(terms: terms).industries
        let health = Industry.allCases.firstIndex(of: .health)!
        let labels = [[Float]](repeating: (0..<Industry.allCases.count).map { $0 == health ? 1 : 0 }, count: 30)
        let texts = [[String]](repeating: F.resources.analyzer.terms("医用导管亲水涂层"), count: 30)
        let after = evidence.learned(from: texts, labels: labels).scores(terms: terms).industries
        #expect(after[health] > before[health])
        #expect(abs(after.reduce(0, +) - before.reduce(0, +)) < 1e-3)
    }

    @Test("the calibration fit recovers a logistic relation between margin and correctness")
    func calibrationFit() {
        // Margins 0…1 with outcomes drawn at P(right) = σ(−1 + 6 m), deterministically.
        var examples: [RoutingExample] = [], decisions: [RouteDecision] = []
        for i in 0..<2000 {
            let m = Double(i % 100) / 100
            let p = 1 / (1 + exp(-(-1 + 6 * m)))
            let right = Double((i * 7919) % 1000) / 1000 < p
            let record = Self.need("Q\(i)", "t", "d")
            examples.append(RoutingExample(record: record, industries: [.it], marine: nil, track: nil, group: "g"))
            let first = IndustryScore(industry: right ? .it : .ai, probability: 0.5 + m / 2)
            let second = IndustryScore(industry: right ? .ai : .it, probability: 0.5 - m / 2)
            decisions.append(RouteDecision(industries: [first.industry], probabilities: [], confidence: 0, candidates: [first, second],
                                           unclear: false, marine: false, marineConfidence: 1, marineSector: nil, tracks: [], keywords: [], neighbours: []))
        }
        let fit = RoutingEvaluation.calibration(examples, decisions)
        #expect(abs(fit.intercept + 1) < 0.3)
        #expect(abs(fit.slope - 6) < 1)
    }

    @Test("common needs are read from groups.jsonl; singletons and bad lines do not count")
    func commonNeeds() throws {
        let url = F.temporaryFile("groups.jsonl")
        try Data("""
            {"id":"G1","label":"焊缝检测","needs":["N1","N2"]}
            {"id":"G2","label":"单独","needs":["N3"]}
            not json
            {"id":"G3","needs":"N4"}
            """.utf8).write(to: url)
        let read = try RoutingInput.commonNeeds(at: url)
        #expect(read.needs == ["N1", "N2"])
        #expect(read.issues.count == 2)
        #expect(read.issues[0].hasSuffix(":3: expected one JSON object per line"))
        #expect(read.issues[1].contains(":4: needs:"))
    }
}
