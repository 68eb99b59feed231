import Foundation
import ShuoguoData
import ShuoguoText

/// One problem of a listing, for a broker to take back to the submitter.
public struct LintFlag: Sendable, Equatable {
    public enum Severity: String, Sendable, CaseIterable, Comparable {
        /// The listing cannot be graded or matched usefully as it stands.
        case error
        /// Matching works, but poorly; the submitter should be asked.
        case warning
        /// Worth a note.
        case info

        public var chineseLabel: String {
            switch self {
            case .error: "严重"
            case .warning: "警告"
            case .info: "提示"
            }
        }

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .info: 2
            }
        }

        /// More severe first: `.error < .warning < .info`.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// A stable code (`no_application`, `short_summary`, …).
    public var code: String
    public var severity: Severity
    /// The record field to fix (FORMATS.md name).
    public var field: String
    /// The reason in Chinese, addressed to the broker.
    public var reason: String
}

/// The flags of one record, most severe first.
public struct LintReport: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var title: String
    public var flags: [LintFlag]

    public var worst: LintFlag.Severity? { flags.map(\.severity).min() }

    public var jsonObject: [String: JSONValue] {
        [
            "id": .string(id), "kind": .string(kind), "title": .string(title),
            "severity": worst.map { .string($0.rawValue) } ?? .null,
            "flags": .array(flags.map { flag in
                .object(["code": .string(flag.code), "severity": .string(flag.severity.rawValue), "field": .string(flag.field),
                         "reason": .string(flag.reason)])
            }),
        ]
    }

    /// `id<TAB>最重级别<TAB>title<TAB>reason；reason…`.
    public var tableLine: String {
        [id, worst?.chineseLabel ?? "-", title, flags.map { "[\($0.severity.chineseLabel)] \($0.reason)" }.joined(separator: "；")]
            .joined(separator: "\t")
    }
}

/// Checks listings for vagueness and gaps before matching (附件1 of the “青岛好成果” form, and
/// the “想不出、说不清” needs the brokers are to dig into).
///
/// Achievements:
///
/// | code | severity | when |
/// |---|---|---|
/// | `short_summary` | error below 30 characters, warning below 80 | 成果简介 (whitespace excluded) is too short to judge |
/// | `no_application` | error | no 应用领域描述 and no scenario wording (用于, 适用于, 应用于, 场景, 面向 …) in the summary: only achievements with an application scenario are graded |
/// | `application_in_summary` | info | no 应用领域描述, but the summary names a scenario |
/// | `no_indicators` | warning | no quantity in a summary of 30 characters or more: no number other than a date |
/// | `no_maturity` | warning | 技术成熟度 missing: grading needs it |
/// | `no_advancement` | info | 技术先进度 missing |
/// | `no_transfer_mode` | warning | 拟转化方式 missing: no 五技合同 class, so no push destination |
/// | `unwilling` | info | 转化意愿 无 |
///
/// Needs:
///
/// | code | severity | when |
/// |---|---|---|
/// | `too_short` | error below 15 characters of title + description, warning below 30 | nothing to match on |
/// | `filler_only` | error | fewer than 3 distinct content terms once stopwords and filler (提升, 解决, 问题, 技术, 合作 …) are removed |
/// | `no_symptom_or_spec` | warning | no number and no concrete symptom (a thesaurus symptom phrase such as 漏检, or a problem word such as 经常, 卡, 漏, 裂, 超标) |
/// | `no_spec` | info | a symptom but no number (quantity, precision, cost target) |
/// | `no_enterprise_size` | info | 企业规模 missing: 揭榜挂帅 or 云端研发 cannot be chosen |
///
/// Both: `no_industry` (info; the router's suggestion is quoted when it is confident) and
/// `industry_mismatch` (warning: the given primary industry has probability below 0.1 while the
/// router is at least 0.7 sure of another).
public struct ListingLinter: Sendable {
    let analyzer: Analyzer
    /// Segmented symptom phrases (the thesaurus's `symptom` heads).
    let symptoms: [[String]]

    /// Words that carry no specific content in a need description.
    public static let filler: Set<String> = [
        "提升", "提高", "解决", "问题", "技术", "方案", "相关", "方面", "合作", "需求", "研发", "创新", "升级", "改进", "优化",
        "降低", "成本", "效率", "质量", "产品", "企业", "公司", "帮助", "支持", "服务", "能力", "水平", "发展", "推动", "智能化",
        "数字化", "转型", "先进", "新型", "高效", "寻求", "寻找", "引进", "开发", "研究", "应用", "实现", "加强", "增强", "改善",
        "领域", "行业", "项目", "工作", "管理", "系统", "平台", "高端", "关键", "核心", "共性", "难题", "瓶颈", "突破", "高校",
        "院所", "团队", "专家", "对接", "成果", "转化", "想", "希望", "有关", "一些", "更好", "较好", "进一步", "全面", "整体",
    ]

    /// Words that state a concrete problem in plant language.
    public static let problemWords: [String] = [
        "经常", "老是", "总是", "时好时坏", "卡", "漏", "裂", "断", "坏", "烫", "晃", "响", "噪音", "异响", "锈", "腐蚀", "变形",
        "超标", "报废", "返工", "投诉", "不良", "良率", "故障", "失效", "停机", "堵", "磨损", "脱落", "起皮", "发黄", "结垢",
        "漏检", "误报", "偏差", "波动", "不稳", "不准", "太慢", "太大", "太高", "太低", "跟不上", "招不到", "看不清", "找不到",
    ]

    public init(analyzer: Analyzer, thesaurusDirectory: URL?) {
        self.analyzer = analyzer
        var symptoms: [[String]] = []
        var seen = Set<[String]>()
        if let thesaurusDirectory,
           let files = try? FileManager.default.contentsOfDirectory(at: thesaurusDirectory, includingPropertiesForKeys: nil) {
            for file in files.filter({ $0.pathExtension == "tsv" }).sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                for line in text.split(separator: "\n") where line.hasPrefix("symptom\t") {
                    let columns = line.split(separator: "\t")
                    guard columns.count == 3 else { continue }
                    let terms = Array(Set(analyzer.terms(String(columns[1])))).sorted()
                    if !terms.isEmpty, seen.insert(terms).inserted { symptoms.append(terms) }
                }
            }
        }
        self.symptoms = symptoms
    }

    /// Flags every record; `decisions[i]` (the router's view of record i) enables the industry checks.
    public func lint(_ records: [MarketRecord], decisions: [RouteDecision]? = nil) -> [LintReport] {
        records.enumerated().map { i, record in
            var flags: [LintFlag]
            switch record {
            case .achievement(let a): flags = lint(a)
            case .need(let n): flags = lint(n)
            }
            if let decision = decisions?[i] { flags += industryFlags(record, decision) }
            let order = flags.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
            return LintReport(id: record.id, kind: record.kind, title: record.title, flags: order)
        }
    }

    static let scenarioMarkers = ["用于", "适用于", "应用于", "可用于", "场景", "面向", "应用领域", "适合", "服务于"]

    func lint(_ a: Achievement) -> [LintFlag] {
        var flags: [LintFlag] = []
        let length = a.summary.filter { !$0.isWhitespace }.count
        if length < 30 {
            flags.append(LintFlag(code: "short_summary", severity: .error, field: "summary",
                                  reason: "成果简介只有\(length)字，无法判断技术原理、创新点和指标，请补充研发背景、技术原理、创新点和指标先进性"))
        } else if length < 80 {
            flags.append(LintFlag(code: "short_summary", severity: .warning, field: "summary",
                                  reason: "成果简介仅\(length)字，偏短，建议补充技术原理、创新点、关键指标和知识产权情况"))
        }
        let application = (a.application ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if application.isEmpty {
            if Self.scenarioMarkers.contains(where: a.summary.contains) {
                flags.append(LintFlag(code: "application_in_summary", severity: .info, field: "application",
                                      reason: "应用领域描述未单独填写（简介中已提到应用场景），建议补填以便按场景推送"))
            } else {
                flags.append(LintFlag(code: "no_application", severity: .error, field: "application",
                                      reason: "没有应用领域描述，简介中也看不出具体应用场景；有应用场景的成果才能分级，请补充用在哪个行业、解决什么问题"))
            }
        }
        if length >= 30, Self.quantities(in: a.summary) == 0 {
            flags.append(LintFlag(code: "no_indicators", severity: .warning, field: "summary",
                                  reason: "成果简介没有量化指标（数值、单位），无法判断指标先进性，请补充关键性能参数"))
        }
        if a.maturity == nil {
            flags.append(LintFlag(code: "no_maturity", severity: .warning, field: "maturity",
                                  reason: "未填写技术成熟度（正在研发/已有样品/通过小试/通过中试/可以量产），无法分级"))
        }
        if a.advancement == nil {
            flags.append(LintFlag(code: "no_advancement", severity: .info, field: "advancement", reason: "未填写技术先进度"))
        }
        if a.transferModes.isEmpty {
            flags.append(LintFlag(code: "no_transfer_mode", severity: .warning, field: "transfer_modes",
                                  reason: "未填写拟转化方式，无法确定五技合同类别和推送去向"))
        }
        if a.willingness == Willingness.none {
            flags.append(LintFlag(code: "unwilling", severity: .info, field: "willingness", reason: "转化意愿为“无”，暂不进入对接推送"))
        }
        return flags
    }

    func lint(_ n: Need) -> [LintFlag] {
        var flags: [LintFlag] = []
        let length = (n.title + n.description).filter { !$0.isWhitespace }.count
        if length < 15 {
            flags.append(LintFlag(code: "too_short", severity: .error, field: "description",
                                  reason: "需求名称和描述合计只有\(length)字，看不出要解决什么问题"))
        } else if length < 30 {
            flags.append(LintFlag(code: "too_short", severity: .warning, field: "description",
                                  reason: "需求描述仅\(length)字，偏短，请补充现象、使用场景和期望指标"))
        }
        let terms = analyzer.terms(n.text)
        let content = Set(terms.filter { !Self.filler.contains($0) && $0.unicodeScalars.count > 1 })
        if content.count < 3 {
            flags.append(LintFlag(code: "filler_only", severity: .error, field: "description",
                                  reason: "需求描述几乎只有“提升、解决、技术、合作”一类套话，没有具体对象和现象，需经纪人回访企业挖掘真实需求"))
        }
        let numbers = Self.quantities(in: n.text)
        let present = Set(terms)
        let symptom = symptoms.contains { $0.allSatisfy(present.contains) } || Self.problemWords.contains(where: n.text.contains)
        if numbers == 0 && !symptom {
            flags.append(LintFlag(code: "no_symptom_or_spec", severity: .warning, field: "description",
                                  reason: "需求既没有具体现象（如“经常卡料”“漏检”）也没有指标（如精度、产能、成本目标），属于“说不清”的需求，需经纪人上门梳理"))
        } else if numbers == 0 {
            flags.append(LintFlag(code: "no_spec", severity: .info, field: "description",
                                  reason: "有现象描述但没有量化指标，建议补充数量、精度、成本或周期目标"))
        }
        if n.enterpriseSize == nil {
            flags.append(LintFlag(code: "no_enterprise_size", severity: .info, field: "enterprise_size",
                                  reason: "未注明企业规模（链主/龙头或中小企业），无法确定揭榜挂帅或云端研发路径"))
        }
        return flags
    }

    func industryFlags(_ record: MarketRecord, _ decision: RouteDecision) -> [LintFlag] {
        let best = decision.candidates[0]
        guard let given = record.industry.first else {
            let suggestion = decision.unclear ? "文本也难以判断，需人工确定"
                : "按文本判断可能属于\(best.industry.chineseName)（置信度\(String(format: "%.2f", best.probability))）"
            return [LintFlag(code: "no_industry", severity: .info, field: "industry", reason: "未填写所属“10+1”产业；" + suggestion)]
        }
        let givenProbability = decision.probabilities.count == Industry.allCases.count
            ? decision.probabilities[Industry.allCases.firstIndex(of: given)!]
            : decision.candidates.first { $0.industry == given }?.probability ?? 0
        guard best.industry != given, best.probability >= 0.7, givenProbability < 0.1 else { return [] }
        return [LintFlag(code: "industry_mismatch", severity: .warning, field: "industry",
                         reason: "所填产业“\(given.chineseName)”与描述内容不符，文本更接近“\(best.industry.chineseName)”（置信度\(String(format: "%.2f", best.probability))），请核实")]
    }

    /// The number of quantities in a text: runs of digits (ASCII or full-width, with decimal
    /// points), except dates — a run followed by 年, 月, 日 or 号, and a 19xx/20xx year followed by
    /// "-" together with the month and day that follow it.
    static func quantities(in text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) || ("０"..."９").contains(s) }
        func run(from start: Int) -> Int {
            var j = start
            while j < scalars.count, isDigit(scalars[j]) || scalars[j] == "." { j += 1 }
            return j
        }
        var count = 0, i = 0
        while i < scalars.count {
            guard isDigit(scalars[i]) else { i += 1; continue }
            var j = run(from: i)
            let digits = String(String.UnicodeScalarView(scalars[i..<j]))
            let next = j < scalars.count ? scalars[j] : " "
            if ["年", "月", "日", "号"].contains(next) {
                i = j
                continue
            }
            if digits.count == 4, digits.hasPrefix("19") || digits.hasPrefix("20"), next == "-" {
                while j + 1 < scalars.count, scalars[j] == "-", isDigit(scalars[j + 1]) { j = run(from: j + 1) }
                i = j
                continue
            }
            count += 1
            i = j
        }
        return count
    }
}
