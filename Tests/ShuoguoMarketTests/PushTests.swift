import Foundation
import Testing
import ShuoguoData
@testable import ShuoguoMarket

@Suite struct PushTests {
    typealias F = RoutingFixture

    static func achievement(_ id: String = "A1", modes: [TransferMode], needs: [ConversionNeed] = [], category: AchievementCategory? = .industrial,
                            maturity: Int? = 4, region: String? = "崂山区") -> MarketRecord {
        .achievement(Achievement(id: id, title: "示例成果", summary: "示例", category: category, maturity: maturity, transferModes: modes,
                                 conversionNeeds: needs, region: region))
    }

    static func result(_ record: MarketRecord, _ industries: [Industry], marine: Bool = false, unclear: Bool = false,
                       table: PushTable = F.table, overrides: PushOverrides = .init(), common: Bool = false) -> RoutingResult {
        RoutingResult.assemble(record: record, decision: F.decision(industries, marine: marine, unclear: unclear), table: table,
                               overrides: overrides, common: common)
    }

    @Test("classes, financing and the 3大类 derive from the listing; every class reaches its destinations")
    func derivation() {
        let r = Self.result(Self.achievement(modes: [.license, .coDevelop, .equity], needs: [.funding], category: .major), [.equip])
        #expect(r.facts.classes == [1, 2, 3])
        #expect(r.facts.financing)
        #expect(F.table.categoryName(r.facts.category!) == "自主创新重大成果")
        #expect(r.destinations == ["智能装备产业专班（科技创新供给清单）", "海洋科技大市场（“青岛好成果”专区）", "市场化技术转移服务机构",
                                   "高新处", "崂山区科技主管部门", "孵化器协会", "资配处（对接金融机构）", "国有企业投资平台", "市领导（调度推进）"])
        #expect(r.pushes.map(\.rule) == ["supply-list", "class1-market", "class2-high-tech", "class3-district", "financing", "major-leadership"])
        #expect(r.pushes.allSatisfy { !$0.reason.isEmpty })
        let plain = Self.result(Self.achievement(modes: [.other], category: nil, maturity: nil, region: nil), [.it])
        #expect(plain.facts.classes.isEmpty && !plain.facts.financing)
        #expect(plain.destinations == ["新一代信息技术产业专班（科技创新供给清单）"])
    }

    @Test("a class-2 achievement goes to exactly one office: 海洋处 if marine, 农社处 for health and light industry, else 高新处")
    func horizontalCooperationOffice() {
        func offices(_ industries: [Industry], marine: Bool) -> [String] {
            Self.result(Self.achievement(modes: [.coDevelop]), industries, marine: marine).destinations.filter { $0.hasSuffix("处") }
        }
        #expect(offices([.equip], marine: true) == ["海洋处"])
        #expect(offices([.health], marine: true) == ["海洋处"])
        #expect(offices([.health], marine: false) == ["农社处"])
        #expect(offices([.light, .chem], marine: false) == ["农社处"])
        #expect(offices([.chem, .light], marine: false) == ["高新处"])
    }

    @Test("class 3 goes to the district's bureau, or to the fallback when no district is given; unclear records go to a broker")
    func districtAndUnclear() {
        #expect(Self.result(Self.achievement(modes: [.selfInvest], region: "西海岸新区"), [.ai]).destinations.contains("西海岸新区科技主管部门"))
        #expect(Self.result(Self.achievement(modes: [.selfInvest], region: nil), [.ai]).destinations.contains("相关区（市）科技主管部门"))
        let unclear = Self.result(Self.achievement(modes: [.transfer]), [.ai], unclear: true)
        #expect(unclear.destinations.first == "成果处（产业归属待经纪人确认）")
        #expect(!unclear.destinations.contains { $0.contains("产业专班") })
    }

    @Test("needs: 链主 needs take 揭榜挂帅, SME needs 云端研发, grouped common needs 集采研发")
    func demandSide() {
        func need(_ size: EnterpriseSize?, _ channel: NeedChannel? = nil) -> MarketRecord {
            .need(Need(id: "N1", title: "需求", description: "描述", enterpriseSize: size, channel: channel))
        }
        let large = Self.result(need(.large), [.chem])
        #expect(large.facts.needClasses == ["揭榜挂帅"])
        #expect(large.destinations.contains("青岛市“揭榜挂帅”对接平台") && large.destinations.contains("重点实验室"))
        let sme = Self.result(need(.sme, .cloudRD), [.light])
        #expect(sme.facts.needClasses == ["云端研发"])
        #expect(sme.destinations == ["现代轻工产业专班（产业需求清单）", "“云端研发”平台（高校院所资源）", "万链数科专家库"])
        let pooled = Self.result(need(.sme), [.light], common: true)
        #expect(pooled.facts.needClasses == ["集采研发", "云端研发"])
        #expect(pooled.destinations.contains("集采研发联合体"))
        #expect(Self.result(need(nil), [.energy], marine: true).destinations.contains("海洋处"))
    }

    @Test("editing a copy of the table changes the destinations: a renamed office and a remapped transfer mode")
    func tableRoundTrip() throws {
        var text = F.pushText
        text = text.replacingOccurrences(of: "\"push\": [\"高新处\"]", with: "\"push\": [\"高新技术处（试点）\"]")
        text = text.replacingOccurrences(of: "{ \"class\": 1, \"name\": \"需转让和实施许可的成果\", \"transfer_modes\": [\"transfer\", \"license\"] }",
                                         with: "{ \"class\": 1, \"name\": \"需转让和实施许可的成果\", \"transfer_modes\": [\"transfer\"] }")
        text = text.replacingOccurrences(of: "{ \"class\": 2, \"name\": \"需横向合作的成果\", \"transfer_modes\": [\"co_develop\"] }",
                                         with: "{ \"class\": 2, \"name\": \"需横向合作的成果\", \"transfer_modes\": [\"co_develop\", \"license\"] }")
        let url = F.temporaryFile("push-edited.json")
        try Data(text.utf8).write(to: url)
        let edited = try PushTable.load(from: url)
        let record = Self.achievement(modes: [.license])
        let before = Self.result(record, [.it])
        let after = Self.result(record, [.it], table: edited)
        #expect(before.facts.classes == [1] && after.facts.classes == [2])
        #expect(before.destinations.contains("海洋科技大市场（“青岛好成果”专区）") && !before.destinations.contains("高新技术处（试点）"))
        #expect(after.destinations == ["新一代信息技术产业专班（科技创新供给清单）", "高新技术处（试点）"])
        // The unedited file parses to the bundled table.
        #expect(try PushTable.parse(data: Data(F.pushText.utf8), file: "push.json") == F.table)
    }

    @Test("overrides apply on top: a corrected class moves the destinations, a destination list replaces them, fields are reported")
    func overrides() throws {
        let json = """
            {
              "A1": { "class": [3], "financing": true, "industry": ["新能源汽车"] },
              "A2": { "destinations": ["成果处（专人跟进）"], "category": "重大科技成果" },
              "N1": { "common": true }
            }
            """
        let overrides = try PushOverrides.parse(data: Data(json.utf8), file: "overrides.json", taxonomy: F.taxonomy)
        let a1 = Self.result(Self.achievement("A1", modes: [.license]), [.it], unclear: true, overrides: overrides)
        #expect(a1.overridden == ["class", "financing", "industry"])
        #expect(a1.decision.industries == [.nev] && !a1.decision.unclear)
        #expect(a1.facts.classes == [3])
        #expect(a1.destinations == ["智能网联新能源汽车产业专班（科技创新供给清单）", "崂山区科技主管部门", "孵化器协会",
                                    "资配处（对接金融机构）", "国有企业投资平台"])
        let a2 = Self.result(Self.achievement("A2", modes: [.license]), [.it], overrides: overrides)
        #expect(a2.overridden == ["category", "destinations"])
        #expect(a2.destinations == ["成果处（专人跟进）"])
        #expect(a2.facts.category == .major)
        #expect(a2.pushes.contains { $0.rule == "major-leadership" })
        let n1 = Self.result(.need(Need(id: "N1", title: "需求", description: "描述", enterpriseSize: .sme)), [.light], overrides: overrides)
        #expect(n1.facts.needClasses == ["集采研发", "云端研发"] && n1.overridden == ["common"])
        let untouched = Self.result(Self.achievement("A3", modes: [.license]), [.it], overrides: overrides)
        #expect(untouched.overridden.isEmpty)
        let line = JSONValue.object(a1.jsonObject(table: F.table)).serialized
        #expect(line.contains("\"overridden\":[\"class\",\"financing\",\"industry\"]"))
    }

    @Test("bad overrides and bad tables are refused with the file, the line and the field")
    func refusals() {
        func overrideError(_ json: String) -> String {
            do { _ = try PushOverrides.parse(data: Data(json.utf8), file: "o.json", taxonomy: F.taxonomy); return "" } catch { return error.description }
        }
        #expect(overrideError("{\n  \"A1\": {\"class\": [4]}\n}") == "o.json:2: A1.class: 五技合同 classes are 1, 2 and 3")
        #expect(overrideError("{\n\n  \"A9\": {\"colour\": 1}\n}").hasPrefix("o.json:3: A9: unknown key 'colour'"))
        #expect(overrideError("{\"A1\": {\"industry\": [\"造船\"]}}").hasPrefix("o.json:1: A1.industry: unknown industry"))
        #expect(overrideError("[1, 2]").hasPrefix("o.json:1: (file): expected one JSON object"))
        #expect(overrideError("{\"A1\": ").contains("invalid JSON"))

        func tableError(_ from: String, _ to: String) -> String {
            let text = F.pushText.replacingOccurrences(of: from, with: to)
            precondition(text != F.pushText, "the edit must apply")
            do { _ = try PushTable.parse(data: Data(text.utf8), file: "push.json"); return "" } catch { return error.description }
        }
        let line = F.pushText.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"id\": \"class2-marine\"") }! + 1
        #expect(tableError("\"when\": { \"class\": [2], \"marine\": true }", "\"when\": { \"class\": [2], \"maritime\": true }")
            .hasPrefix("push.json:\(line): achievement_rules[class2-marine].when: unknown key 'maritime'"))
        #expect(tableError("\"industry\": [\"health\", \"light\"]", "\"industry\": [\"health\", \"food\"]")
            .contains("achievement_rules[class2-agriculture-social].when.industry: unknown value string 'food'"))
        #expect(tableError("\"id\": \"financing\"", "\"id\": \"class1-market\"").contains("duplicate rule id 'class1-market'"))
        #expect(tableError("{ \"when\": { \"common\": true }, \"class\": \"集采研发\" }", "{ \"when\": { \"financing\": true }, \"class\": \"集采研发\" }")
            .contains("need_classes[0].when: unknown key 'financing'"))
    }
}
