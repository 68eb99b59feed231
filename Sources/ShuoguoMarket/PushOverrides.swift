import Foundation
import ShuoguoData

/// Brokers' corrections, applied on top of everything the router and the 推送机制 derive.
///
/// File format: one JSON object, record id → field → value:
///
///     { "A0001": { "class": [1, 3], "financing": true },
///       "N0042": { "industry": ["chem"], "destinations": ["高新处"] } }
///
/// | field | value | effect |
/// |---|---|---|
/// | `industry` | array of industry codes, or names / aliases / older chain names | the routed industries (clears `unclear`) |
/// | `marine`, `unclear`, `financing`, `cross_department`, `common` | true / false | the flag |
/// | `tracks` | array of 细分赛道 names of the routed industries | the tracks |
/// | `class` | array of 1–3 (achievement) or of path names such as "揭榜挂帅" (need) | the classes |
/// | `category` | major / industrial / enterprise, or the 3大类 or 成果类型 name | the 3大类 |
/// | `region` | 区(市) | the district used for `{region}` |
/// | `destinations` | array of strings | replaces the destinations outright |
///
/// Facts are overridden before the push rules run, so a corrected class moves the destinations
/// with it; `destinations` replaces the final list. Every overridden field is reported.
public struct PushOverrides: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var industry: [Industry]?
        public var marine: Bool?
        public var unclear: Bool?
        public var tracks: [String]?
        public var classes: [Int]?
        public var needClasses: [String]?
        public var financing: Bool?
        public var category: AchievementCategory?
        public var crossDepartment: Bool?
        public var common: Bool?
        public var region: String?
        public var destinations: [String]?

        public init() {}
    }

    public var entries: [String: Entry]

    public init(entries: [String: Entry] = [:]) { self.entries = entries }

    public static func load(from url: URL, taxonomy: Taxonomy) throws(RoutingError) -> PushOverrides {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(file: url.relativePath, reason: error.localizedDescription)
        }
        return try parse(data: data, file: url.relativePath, taxonomy: taxonomy)
    }

    public static func parse(data: Data, file: String, taxonomy: Taxonomy) throws(RoutingError) -> PushOverrides {
        let root: [String: JSONValue]
        do {
            guard case .object(let object) = try JSONValue(parsing: data) else {
                throw RoutingError.invalid(file: file, line: 1, field: "(file)", reason: "expected one JSON object: id → field → value")
            }
            root = object
        } catch let error as RoutingError {
            throw error
        } catch {
            throw .invalid(file: file, line: nil, field: "(file)", reason: "invalid JSON: \(error)")
        }
        var reader = ConfigReader(file: file, text: String(decoding: data, as: UTF8.self))
        var entries: [String: Entry] = [:]
        for id in root.keys.sorted() {
            reader.line = reader.lineOf("\"\(id)\"")
            let object = try reader.object(root[id], field: id)
            try reader.allowOnly(object, ["industry", "marine", "unclear", "tracks", "class", "financing", "category",
                                          "cross_department", "common", "region", "destinations"], at: id)
            var e = Entry()
            for key in object.keys.sorted() {
                let value = object[key]!, field = "\(id).\(key)"
                switch key {
                case "industry":
                    var codes: [Industry] = []
                    for item in try reader.array(value, field: field) {
                        guard case .string(let name) = item, let tag = RoutingInput.translate(name, taxonomy: taxonomy), !tag.industries.isEmpty else {
                            throw reader.error(field, "unknown industry \(item.shortDescription): use a code (" + Industry.allCases.map(\.rawValue).joined(separator: ", ") + "), a 10+1 name or an older chain name")
                        }
                        for code in tag.industries where !codes.contains(code) { codes.append(code) }
                    }
                    e.industry = codes
                case "marine": e.marine = try reader.bool(value, field: field)
                case "unclear": e.unclear = try reader.bool(value, field: field)
                case "financing": e.financing = try reader.bool(value, field: field)
                case "cross_department": e.crossDepartment = try reader.bool(value, field: field)
                case "common": e.common = try reader.bool(value, field: field)
                case "region": e.region = try reader.string(value, field: field)
                case "tracks": e.tracks = try reader.array(value, field: field).map { item throws(RoutingError) in try reader.string(item, field: field) }
                case "destinations": e.destinations = try reader.array(value, field: field).map { item throws(RoutingError) in try reader.string(item, field: field) }
                case "class":
                    let items: [JSONValue]
                    if case .array(let list) = value { items = list } else { items = [value] }
                    if items.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                        let numbers = try items.map { item throws(RoutingError) in try reader.integer(item, field: field) }
                        guard numbers.allSatisfy((1...3).contains) else { throw reader.error(field, "五技合同 classes are 1, 2 and 3") }
                        e.classes = Array(Set(numbers)).sorted()
                    } else {
                        e.needClasses = try items.map { item throws(RoutingError) in try reader.string(item, field: field) }
                    }
                case "category":
                    let name = try reader.string(value, field: field)
                    guard let category = AchievementCategory(rawValue: name)
                            ?? AchievementCategory.allCases.first(where: { $0.chineseLabel == name })
                            ?? Self.categoryNames[name] else {
                        throw reader.error(field, "unknown category '\(name)': use major, industrial or enterprise")
                    }
                    e.category = category
                default: break
                }
            }
            entries[id] = e
        }
        return PushOverrides(entries: entries)
    }

    static let categoryNames: [String: AchievementCategory] = [
        "自主创新重大成果": .major, "产业科技创新成果": .industrial, "企业需求技术成果": .enterprise,
    ]

    /// Applies the entry of `id` to the routed decision and the facts; returns the overridden
    /// field names (sorted) and the replacement destinations, if any.
    public func apply(id: String, decision: inout RouteDecision, facts: inout PushFacts) -> (fields: [String], destinations: [String]?) {
        guard let e = entries[id] else { return ([], nil) }
        var fields: [String] = []
        if let industry = e.industry {
            decision.industries = industry
            decision.unclear = false
            if decision.tracks.contains(where: { !industry.contains($0.industry) }) {
                decision.tracks.removeAll { !industry.contains($0.industry) }
            }
            fields.append("industry")
        }
        if let unclear = e.unclear {
            decision.unclear = unclear
            if unclear { decision.industries = [] } else if decision.industries.isEmpty, let best = decision.candidates.first {
                decision.industries = [best.industry]
            }
            fields.append("unclear")
        }
        if let marine = e.marine {
            decision.marine = marine
            decision.marineConfidence = 1
            fields.append("marine")
        }
        if let tracks = e.tracks {
            decision.tracks = tracks.map { name in
                TrackScore(industry: decision.industries.first ?? decision.candidates[0].industry, track: name, confidence: 1)
            }
            fields.append("tracks")
        }
        facts.industries = decision.industries
        facts.unclear = decision.unclear
        facts.marine = decision.marine
        if let classes = e.classes { facts.classes = classes; fields.append("class") }
        if let needClasses = e.needClasses { facts.needClasses = needClasses; fields.append("class") }
        if let financing = e.financing { facts.financing = financing; fields.append("financing") }
        if let category = e.category { facts.category = category; fields.append("category") }
        if let cross = e.crossDepartment { facts.crossDepartment = cross; fields.append("cross_department") }
        if let common = e.common { facts.common = common; fields.append("common") }
        if let region = e.region { facts.region = region; fields.append("region") }
        if e.destinations != nil { fields.append("destinations") }
        return (fields.sorted(), e.destinations)
    }
}
