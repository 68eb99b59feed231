import Foundation
import Testing
import ShuoguoData
@testable import ShuoguoMarket

@Suite struct LintTests {
    typealias F = RoutingFixture
    static let linter = ListingLinter(analyzer: F.resources.analyzer, thesaurusDirectory: F.corpus.appendingPathComponent("thesaurus"))

    static func codes(_ record: MarketRecord, decision: RouteDecision? = nil) -> [String: LintFlag] {
        let report = linter.lint([record], decisions: decision.map { [$0] })[0]
        return Dictionary(uniqueKeysWithValues: report.flags.map { ($0.code, $0) })
    }

    static let complete = Achievement(
        id: "A1", title: "海水淡化反渗透膜抗污染改性技术",
        summary: "针对反渗透膜在高浊度海水中易污堵的问题，本成果在聚酰胺表面接枝两性离子聚合物，膜通量衰减率由35%降至12%，脱盐率保持在99.7%以上，已在日产5000吨的示范工程连续运行18个月，获发明专利3项。",
        application: "海水淡化厂、工业废水回用", category: .industrial, maturity: 4, advancement: 3, transferModes: [.license],
        willingness: .strong, industry: [.chem])

    @Test("a complete achievement raises no flag")
    func completeAchievement() {
        #expect(Self.codes(.achievement(Self.complete)).isEmpty)
    }

    @Test("a vague achievement is flagged with reasons in Chinese and the most severe flags first")
    func vagueAchievement() {
        let vague = Achievement(id: "A2", title: "新型智能材料", summary: "本成果采用新型复合工艺，性能优异，稳定可靠，成本低廉，达到国内领先水平，具有广阔的市场前景和推广价值。")
        let report = Self.linter.lint([.achievement(vague)])[0]
        let codes = Set(report.flags.map(\.code))
        #expect(codes == ["short_summary", "no_application", "no_indicators", "no_maturity", "no_advancement", "no_transfer_mode"])
        #expect(report.worst == .error)
        #expect(report.flags.first?.severity == .error)
        #expect(report.flags.map(\.severity) == report.flags.map(\.severity).sorted())
        #expect(report.flags.first { $0.code == "no_application" }?.reason.contains("应用场景") == true)
        #expect(report.flags.first { $0.code == "no_indicators" }?.reason.contains("量化指标") == true)
        #expect(report.flags.first { $0.code == "short_summary" }?.field == "summary")
        #expect(report.flags.allSatisfy { $0.reason.unicodeScalars.contains { $0.properties.isIdeographic } })
        #expect(report.tableLine.hasPrefix("A2\t严重\t新型智能材料\t[严重] "))
        // An empty summary is one error, not also a missing indicator.
        let empty = Self.linter.lint([.achievement(Achievement(id: "A3", title: "微藻固碳", summary: ""))])[0]
        #expect(empty.flags.contains { $0.code == "short_summary" && $0.severity == .error })
        #expect(!empty.flags.contains { $0.code == "no_indicators" })
    }

    @Test("a scenario named only in the summary is a note, not an error; a summary of middling length is a warning")
    func scenarioInSummary() {
        var a = Self.complete
        a.application = nil
        a.summary = "高浊度海水中反渗透膜易污堵，本成果接枝两性离子聚合物，用于海水淡化厂预处理后的反渗透段，通量衰减率降至12%。"
        let flags = Self.codes(.achievement(a))
        #expect(flags["application_in_summary"]?.severity == .info)
        #expect(flags["no_application"] == nil)
        #expect(flags["short_summary"]?.severity == .warning)
        #expect(flags["no_indicators"] == nil)
    }

    @Test("needs: filler words only, a symptom without figures, and a precise need")
    func needs() {
        let filler = Need(id: "N1", title: "寻求技术合作", description: "希望提升技术水平，解决相关问题，寻求高校合作。", enterpriseSize: .sme)
        let symptom = Need(id: "N2", title: "冲压件经常开裂", description: "汽车门板冲压件经常开裂，报废多，想找到原因和改进办法。", enterpriseSize: .sme)
        let precise = Need(id: "N3", title: "焊缝在线检测", description: "激光焊缝漏检率目前5%，要求降到0.5%以下，节拍不低于每分钟12件。", enterpriseSize: .large)
        let short = Need(id: "N4", title: "求助", description: "设备问题")
        let f1 = Self.codes(.need(filler)), f2 = Self.codes(.need(symptom)), f3 = Self.codes(.need(precise)), f4 = Self.codes(.need(short))
        #expect(f1["filler_only"]?.severity == .error)
        #expect(f1["no_symptom_or_spec"]?.severity == .warning)
        #expect(f1["filler_only"]?.reason.contains("套话") == true)
        #expect(f2["filler_only"] == nil && f2["no_symptom_or_spec"] == nil)
        #expect(f2["no_spec"]?.severity == .info)
        #expect(f3.isEmpty)
        #expect(f4["too_short"]?.severity == .error)
        #expect(f4["no_enterprise_size"]?.severity == .info)
    }

    @Test("the router's view adds a suggestion for a missing industry and a warning for a contradicted one")
    func industryChecks() {
        let decision = F.decision([.it])
        var unlabelled = Self.complete
        unlabelled.industry = []
        let missing = Self.codes(.achievement(unlabelled), decision: decision)["no_industry"]
        #expect(missing?.severity == .info)
        #expect(missing?.reason.contains("新一代信息技术") == true)
        var contradicted = Self.complete
        contradicted.industry = [.light]
        #expect(Self.codes(.achievement(contradicted), decision: decision)["industry_mismatch"]?.severity == .warning)
        var agreeing = Self.complete
        agreeing.industry = [.it]
        #expect(Self.codes(.achievement(agreeing), decision: decision).isEmpty)
    }

    @Test("quantities: digits count, years do not")
    func quantities() {
        #expect(ListingLinter.quantities(in: "2023年5月立项，2024-05-30验收") == 0)
        #expect(ListingLinter.quantities(in: "精度0.1mm，效率提高３０%") == 2)
        #expect(ListingLinter.quantities(in: "符合ISO 4406标准") == 1)
    }

    @Test("linting the development set flags vague needs more often than precise ones")
    func developmentSet() throws {
        let needs = try JSONLines.readNeeds(at: F.corpus.appendingPathComponent("dev/needs.jsonl")).records
        var style: [String: String] = [:]
        for line in try String(contentsOf: F.corpus.appendingPathComponent("dev/topics.tsv"), encoding: .utf8).split(separator: "\n") {
            let c = line.split(separator: "\t")
            if c.count == 5 { style[String(c[0])] = String(c[3]) }
        }
        let reports = Self.linter.lint(needs.map(MarketRecord.need))
        func share(_ s: String) -> Double {
            let group = reports.filter { style[$0.id] == s }
            return Double(group.filter { $0.flags.contains { $0.code == "no_symptom_or_spec" || $0.code == "no_spec" } }.count) / Double(group.count)
        }
        #expect(share("vague") > share("precise") + 0.3)
    }
}
