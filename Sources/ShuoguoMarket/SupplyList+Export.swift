import Foundation
import ShuoguoData

/// The three export formats of a supply list.
public enum SupplyListFormat: String, CaseIterable, Sendable {
    case csv, json, html
}

extension SupplyList {
    /// The list in `format`, as the bytes of a file.
    public func export(_ format: SupplyListFormat) throws -> Data {
        switch format {
        case .csv: csv().encoded()
        case .json: try json()
        case .html: Data(html().utf8)
        }
    }

    // MARK: - CSV

    /// The CSV columns, in order.
    public static let csvHeader = [
        "序号", "成果编号", "成果名称", "所属单位", "细分赛道", "技术成熟度", "技术先进度", "转化意愿", "拟转化方式",
        "成果类型", "发布日期", "匹配度", "等级分", "综合评分", "是否新增", "归属方式", "对接需求",
    ]

    /// One row per listed achievement (see ``CSVTable`` for the encoding). 是否新增 is 是/否, or
    /// empty when the list has no since-date; 对接需求 names the needs that picked the
    /// achievement, "id 名称（评分）" joined by "；".
    public func csv() -> CSVTable {
        var table = CSVTable(header: Self.csvHeader)
        for entry in entries {
            let a = entry.achievement
            table.append([
                String(entry.rank), a.id, a.title, a.institution ?? "", entry.track ?? "",
                Self.level(a.maturity, Achievement.maturityLabels), Self.level(a.advancement, Achievement.advancementLabels),
                a.willingness?.chineseLabel ?? "", a.transferModes.map(\.chineseLabel).joined(separator: "、"),
                a.category?.chineseLabel ?? "", a.date ?? "",
                Self.decimal(entry.fit), Self.decimal(entry.grade), Self.decimal(entry.score),
                since == nil ? "" : (entry.isNew ? "是" : "否"), entry.membership.chineseLabel,
                entry.matchedNeeds.map { "\($0.id) \($0.title)（\(Self.decimal($0.score))）" }.joined(separator: "；"),
            ])
        }
        return table
    }

    // MARK: - JSON

    /// The list as one JSON document (sorted keys, two-space indent): the heading facts, the
    /// formula and its weights, every achievement with all its fields (`record`, as in
    /// achievements.jsonl) and its scores, and the needs with their matches.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(JSONDocument(self))
        data.append(0x0A)
        return data
    }

    // MARK: - HTML

    /// A self-contained printable page (``PrintableHTML``): the heading facts and formula, the
    /// table of achievements (new ones marked 新增), and 产业需求清单 with each need's matches.
    public func html() -> String {
        var facts: [(label: String, value: String)] = [
            ("产业", "\(industry.chineseName)（\(industry.group.chineseLabel)，\(industry.rawValue)）"),
            ("细分赛道", track ?? "全部"),
            ("生成日期", generated),
            ("新增起算日期", since ?? "未指定"),
            ("入选成果", entries.count == candidateCount ? "\(entries.count) 项" : "\(entries.count) 项（共 \(candidateCount) 项）"),
        ]
        if since != nil { facts.append(("其中新增", "\(newCount) 项")) }
        if inferredCount > 0 { facts.append(("推断归属", "\(inferredCount) 项")) }
        facts.append(("产业需求", "\(needs.count) 项"))
        facts.append(("产业体系版本", taxonomyVersion))
        let notes = [
            "排序：" + scoring.formula + "。",
            "对接需求与推荐成果来自匹配模型（TF-IDF 与 LSA 混合相似度，含元数据调整），括号内为配对评分，"
                + "评分低于 \(SupplyScoring.number(minimumMatchScore)) 的配对不予推荐；推荐成果取自本产业完整清单，“第N位”为其在清单中的位次。",
        ]

        let achievementRows: [[PrintableHTML.Cell]] = entries.map { entry in
            let a = entry.achievement
            var name = [a.title, a.id + (a.institution.map { " · \($0)" } ?? "")]
            if entry.membership == .inferred { name[1] += " · 推断归属" }
            return [
                .init(String(entry.rank), className: "num"),
                .init(lines: name, badge: entry.isNew ? "新增" : nil),
                .init(entry.track ?? "—"),
                .init(Self.level(a.maturity, Achievement.maturityLabels), className: "center"),
                .init(Self.level(a.advancement, Achievement.advancementLabels), className: "center"),
                .init(a.willingness?.chineseLabel ?? "—", className: "center"),
                .init(a.transferModes.isEmpty ? "—" : a.transferModes.map(\.chineseLabel).joined(separator: "、"), className: "small"),
                .init(Self.decimal(entry.fit), className: "num"),
                .init(Self.decimal(entry.grade), className: "num"),
                .init(Self.decimal(entry.score), className: "num"),
                .init(lines: Self.neededBy(entry.matchedNeeds), className: "small"),
            ]
        }
        let achievementTable = PrintableHTML.table(
            caption: "科技创新供给清单（\(entries.count) 项）",
            header: ["序号", "成果名称 / 编号 · 所属单位", "细分赛道", "技术成熟度", "技术先进度", "转化意愿", "拟转化方式", "匹配度", "等级分", "综合评分", "对接需求"],
            rows: achievementRows, rowClasses: entries.map { $0.isNew ? "new" : nil },
            emptyMessage: "该产业暂无符合条件的科技成果")

        let needRows: [[PrintableHTML.Cell]] = needs.map { entry in
            let n = entry.need
            var name = [n.title, n.id + (n.enterprise.map { " · \($0)" } ?? "")]
            if entry.membership == .inferred { name[1] += " · 推断归属" }
            let matches = entry.matches.map { m in
                "\(m.id) \(m.title)（第\(m.listRank)位，\(Self.decimal(m.score))）" + (m.sharedTerms.isEmpty ? "" : " 依据：" + m.sharedTerms.joined(separator: "、"))
            }
            return [
                .init(String(entry.rank), className: "num"),
                .init(lines: name, badge: entry.isNew ? "新增" : nil),
                .init(entry.track ?? "—"),
                .init(n.enterpriseSize?.chineseLabel ?? "—", className: "center"),
                .init(n.date ?? "—", className: "center"),
                .init(lines: matches.isEmpty ? ["—"] : matches, className: "small"),
            ]
        }
        let needTable = PrintableHTML.table(
            caption: "产业需求清单（\(needs.count) 项）",
            header: ["序号", "需求名称 / 编号 · 需求企业", "细分赛道", "企业类型", "发布日期", "推荐成果（清单位次，配对评分）"],
            rows: needRows, rowClasses: needs.map { $0.isNew ? "new" : nil },
            emptyMessage: "该产业暂无企业技术需求")
        return PrintableHTML.page(title: title, facts: facts, notes: notes, sections: [achievementTable, needTable])
    }

    // MARK: - Formatting

    /// The 对接需求 cell of the printed page: at most five needs, then how many more (the CSV
    /// and JSON carry them all).
    static func neededBy(_ links: [NeedLink], shown: Int = 5) -> [String] {
        guard !links.isEmpty else { return ["—"] }
        var lines = links.prefix(shown).map { "\($0.id) \($0.title)" }
        if links.count > shown { lines.append("……另 \(links.count - shown) 项") }
        return lines
    }

    /// "4 通过中试"; empty when not stated.
    static func level(_ value: Int?, _ labels: [String]) -> String {
        guard let value, labels.indices.contains(value - 1) else { return "" }
        return "\(value) \(labels[value - 1])"
    }

    /// Four decimals, the precision every export shows.
    static func decimal(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    /// A value rounded to four decimals for JSON, so the document shows what the tables show.
    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}

// MARK: - JSON shape

/// An optional that is written as `null` when absent, so every document has the same keys.
private struct Nullable<Wrapped: Encodable>: Encodable {
    var value: Wrapped?

    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// The JSON document of a supply list; keys are snake_case and sorted on output.
private struct JSONDocument: Encodable {
    struct IndustryInfo: Encodable {
        var code: String
        var name: String
        var group: String
    }

    struct Formula: Encodable {
        var text: String
        var fit_weight: Double
        var grade_weight: Double
        var maturity_weight: Double
        var advancement_weight: Double
        var willingness_weight: Double
        var willingness_values: [String: Double]
        var inference_minimum_fit: Double
        var inference_margin: Double
        var minimum_match_score: Double
    }

    struct Counts: Encodable {
        var listed: Int
        var candidates: Int
        var new: Int
        var inferred: Int
        var needs: Int
    }

    struct NeedLink: Encodable {
        var id: String
        var title: String
        var score: Double
    }

    struct Entry: Encodable {
        var rank: Int
        var id: String
        var title: String
        var track: Nullable<String>
        var membership: String
        var cosine: Double
        var fit: Double
        var grade: Double
        var score: Double
        var new: Bool
        var maturity_label: Nullable<String>
        var advancement_label: Nullable<String>
        var willingness_label: Nullable<String>
        var transfer_mode_labels: [String]
        var matched_needs: [NeedLink]
        var record: JSONValue
    }

    struct Match: Encodable {
        var id: String
        var title: String
        var institution: Nullable<String>
        var list_rank: Int
        var score: Double
        var shared_terms: [String]
    }

    struct NeedEntry: Encodable {
        var rank: Int
        var id: String
        var title: String
        var track: Nullable<String>
        var membership: String
        var new: Bool
        var matches: [Match]
        var record: JSONValue
    }

    var title: String
    var industry: IndustryInfo
    var track: Nullable<String>
    var generated: String
    var since: Nullable<String>
    var taxonomy_version: String
    var formula: Formula
    var counts: Counts
    var achievements: [Entry]
    var needs: [NeedEntry]

    init(_ list: SupplyList) {
        let s = list.scoring
        let r = SupplyList.rounded
        title = list.title
        industry = IndustryInfo(code: list.industry.rawValue, name: list.industry.chineseName, group: list.industry.group.chineseLabel)
        track = Nullable(list.track)
        generated = list.generated
        since = Nullable(list.since)
        taxonomy_version = list.taxonomyVersion
        formula = Formula(text: s.formula, fit_weight: s.fitWeight, grade_weight: s.gradeWeight, maturity_weight: s.maturityWeight,
                          advancement_weight: s.advancementWeight, willingness_weight: s.willingnessWeight,
                          willingness_values: ["strong": 1, "normal": 0.5, "none": 0, "unstated": 0.5],
                          inference_minimum_fit: s.inferenceMinimumFit, inference_margin: s.inferenceMargin,
                          minimum_match_score: list.minimumMatchScore)
        counts = Counts(listed: list.entries.count, candidates: list.candidateCount, new: list.newCount,
                        inferred: list.inferredCount, needs: list.needs.count)
        achievements = list.entries.map { e in
            let a = e.achievement
            return Entry(rank: e.rank, id: a.id, title: a.title, track: Nullable(e.track), membership: e.membership.rawValue,
                         cosine: r(e.cosine), fit: r(e.fit), grade: r(e.grade), score: r(e.score), new: e.isNew,
                         maturity_label: Nullable(a.maturity.map { Achievement.maturityLabels[$0 - 1] }),
                         advancement_label: Nullable(a.advancement.map { Achievement.advancementLabels[$0 - 1] }),
                         willingness_label: Nullable(a.willingness?.chineseLabel), transfer_mode_labels: a.transferModes.map(\.chineseLabel),
                         matched_needs: e.matchedNeeds.map { NeedLink(id: $0.id, title: $0.title, score: r($0.score)) },
                         record: .object(a.jsonObject))
        }
        needs = list.needs.map { e in
            NeedEntry(rank: e.rank, id: e.need.id, title: e.need.title, track: Nullable(e.track), membership: e.membership.rawValue, new: e.isNew,
                      matches: e.matches.map { Match(id: $0.id, title: $0.title, institution: Nullable($0.institution),
                                                     list_rank: $0.listRank, score: r($0.score),
                                                     shared_terms: $0.sharedTerms) },
                      record: .object(e.need.jsonObject))
        }
    }
}
