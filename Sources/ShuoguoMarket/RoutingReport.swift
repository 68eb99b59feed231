import Foundation
import ShuoguoData

/// One routed record: the classifier's decision, the 推送机制's facts and pushes, and the
/// brokers' overrides, ready to print.
public struct RoutingResult: Sendable, Equatable {
    public var record: MarketRecord
    public var decision: RouteDecision
    public var facts: PushFacts
    public var pushes: [Push]
    public var destinations: [String]
    /// Fields a broker overrode, sorted.
    public var overridden: [String]
    /// Legacy industry tags the input carried, as translated.
    public var legacy: [LegacyTag]

    /// Derives facts, applies overrides (facts first, so the rules see the corrected values),
    /// runs the push rules, and lets an overridden destination list replace the derived one.
    public static func assemble(record: MarketRecord, decision: RouteDecision, legacy: [LegacyTag] = [], table: PushTable,
                                overrides: PushOverrides = .init(), common: Bool = false) -> RoutingResult {
        var decision = decision
        var facts = table.facts(for: record, decision: decision, common: common)
        let (fields, replacement) = overrides.apply(id: record.id, decision: &decision, facts: &facts)
        if facts.isNeed, fields.contains("common"), overrides.entries[record.id]?.needClasses == nil {
            facts.needClasses = table.derivedNeedClasses(facts)
        }
        let pushes = table.pushes(for: facts)
        return RoutingResult(record: record, decision: decision, facts: facts, pushes: pushes,
                             destinations: replacement ?? PushTable.destinations(of: pushes), overridden: fields, legacy: legacy)
    }

    /// The JSON object of `shuoguo route --format jsonl` (FORMATS-style keys; confidences
    /// rounded to 4 decimals so that output is byte-stable).
    ///
    /// Always present: `id`, `kind`, `title`, `industry` (codes, primary first; empty when
    /// unclear), `confidence`, `candidates`, `unclear`, `marine`, `marine_confidence`, `tracks`,
    /// `class`, `destinations`, `pushes`, `overridden`, `keywords`, `neighbours`, `given_industry`;
    /// `agrees` when an industry was given; achievements add `financing`, `category` and
    /// `class_names`; optional `marine_sector`, `legacy`.
    public func jsonObject(table: PushTable) -> [String: JSONValue] {
        func rounded(_ x: Double) -> JSONValue { .number((x * 10_000).rounded() / 10_000) }
        let d = decision
        var o: [String: JSONValue] = [
            "id": .string(record.id),
            "kind": .string(record.kind),
            "title": .string(record.title),
            "industry": .array(d.industries.map { .string($0.rawValue) }),
            "confidence": rounded(d.confidence),
            "candidates": .array(d.candidates.map { .object(["industry": .string($0.industry.rawValue), "probability": rounded($0.probability)]) }),
            "unclear": .bool(d.unclear),
            "marine": .bool(d.marine),
            "marine_confidence": rounded(d.marineConfidence),
            "tracks": .array(d.tracks.map { .object(["industry": .string($0.industry.rawValue), "track": .string($0.track), "confidence": rounded($0.confidence)]) }),
            "destinations": .array(destinations.map(JSONValue.string)),
            "pushes": .array(pushes.map { .object(["rule": .string($0.rule), "to": .array($0.destinations.map(JSONValue.string)), "reason": .string($0.reason)]) }),
            "overridden": .array(overridden.map(JSONValue.string)),
            "keywords": .array(d.keywords.map(JSONValue.string)),
            "neighbours": .array(d.neighbours.map(JSONValue.string)),
            "given_industry": .array(record.industry.map { .string($0.rawValue) }),
        ]
        if let given = record.industry.first {
            o["agrees"] = .bool(given == (d.industries.first ?? d.candidates[0].industry))
        }
        if let sector = d.marineSector { o["marine_sector"] = .string(sector) }
        if facts.isNeed {
            o["class"] = .array(facts.needClasses.map(JSONValue.string))
        } else {
            o["class"] = .array(facts.classes.map { .number(Double($0)) })
            o["class_names"] = .array(facts.classes.compactMap(table.className).map(JSONValue.string))
            o["financing"] = .bool(facts.financing)
            o["category"] = facts.category.flatMap(table.categoryName).map(JSONValue.string) ?? .null
        }
        if !legacy.isEmpty {
            o["legacy"] = .array(legacy.map { tag in
                .object(["tag": .string(tag.tag), "industry": .array(tag.industries.map { .string($0.rawValue) }), "marine": .bool(tag.marine)])
            })
        }
        return o
    }

    /// One line of `--format table`: id, industries (or 待定 with the best guess), confidence,
    /// marine, tracks, class, destinations; tab-separated.
    public func tableLine(table: PushTable) -> String {
        let d = decision
        let industry = d.unclear
            ? "待定(\(d.candidates.prefix(2).map(\.industry.chineseName).joined(separator: "/"))?)"
            : d.industries.map(\.chineseName).joined(separator: "+")
        let tracks = d.tracks.map(\.track).joined(separator: "、")
        let classes = facts.isNeed ? facts.needClasses.joined(separator: "、")
            : facts.classes.map(String.init).joined(separator: ",") + (facts.financing ? "+融资" : "")
        let columns = [record.id, industry, String(format: "%.2f", d.confidence), d.marine ? "海洋" : "-",
                       tracks.isEmpty ? "-" : tracks, classes.isEmpty ? "-" : classes,
                       destinations.joined(separator: "；") + (overridden.isEmpty ? "" : "  〔人工修正：\(overridden.joined(separator: ","))〕")]
        return columns.joined(separator: "\t")
    }
}
