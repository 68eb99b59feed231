import Foundation
import ShuoguoData

/// What the 推送机制 decides on: the derived (or overridden) facts of one record.
public struct PushFacts: Sendable, Equatable {
    public var isNeed: Bool
    /// 五技合同 classes of an achievement (1 转让/许可, 2 横向合作, 3 成立企业), ascending.
    public var classes: [Int] = []
    /// Demand-side paths of a need (揭榜挂帅, 云端研发, 集采研发, …), in table order.
    public var needClasses: [String] = []
    /// 融资需求.
    public var financing = false
    /// The 3大类 of an achievement, by its 成果类型.
    public var category: AchievementCategory?
    /// Needs coordination across departments (set by brokers; never derived).
    public var crossDepartment = false
    /// Routed industries, primary first (empty when unclear).
    public var industries: [Industry] = []
    public var marine = false
    public var unclear = false
    public var region: String?
    public var maturity: Int?
    public var conversionNeeds: [ConversionNeed] = []
    public var willingness: Willingness?
    public var enterpriseSize: EnterpriseSize?
    public var channel: NeedChannel?
    public var problemType: ProblemType?
    /// The need belongs to a group of common needs (行业共性需求).
    public var common = false

    public init(isNeed: Bool) { self.isNeed = isNeed }
}

/// One rule's push: where to and why.
public struct Push: Sendable, Equatable {
    public var rule: String
    public var destinations: [String]
    public var reason: String
}

/// The 推送机制 as configuration data (`Corpus/push.json`): how classes, the financing flag and
/// the 3大类 derive from a listing, and which conditions send a record where.
///
/// **Derivation.** An achievement's 五技合同 classes are those whose `transfer_modes` meet its
/// 拟转化方式 (default: 技术转让/技术许可 → 1, 合作开发 → 2, 自行投资转化/技术入股 → 3; several
/// classes at once are normal). 融资需求 holds when its 转化需求 meet `financing_needs`
/// (default 政策资金支持). The 3大类 follows 成果类型 (重大科技成果 → 自主创新重大成果, 产业应用类 →
/// 产业科技创新成果, 企业应用类 → 企业需求技术成果). A need's classes are the `class` of every
/// matching `need_classes` entry.
///
/// **Rules.** Read top to bottom; a rule applies when every condition of its `when` holds (an
/// absent condition always holds; a list condition holds when any listed value applies). Every
/// applying rule adds its destinations, except that within one `group` only the first applying
/// rule counts. Destinations are de-duplicated in rule order. `{region}` and `{industry}` in a
/// destination take the record's 区(市) and primary industry name, or the `fallbacks`.
///
/// Loading is strict: unknown keys, wrong types, unknown codes and duplicate rule ids are errors
/// that name the file, the line of the rule and the field, so a typo cannot silently widen a rule.
public struct PushTable: Sendable, Equatable {
    public struct ContractClass: Sendable, Equatable {
        public var number: Int
        public var name: String
        public var transferModes: [TransferMode]
    }

    public struct Category: Sendable, Equatable {
        public var category: AchievementCategory
        public var name: String
    }

    /// The conditions of one rule; nil means "any".
    public struct Condition: Sendable, Equatable {
        public var classes: [Int]?
        public var needClasses: [String]?
        public var financing: Bool?
        public var categories: [AchievementCategory]?
        public var marine: Bool?
        public var industries: [Industry]?
        public var unclear: Bool?
        public var maturityAtMost: Int?
        public var maturityAtLeast: Int?
        public var conversionNeeds: [ConversionNeed]?
        public var willingness: [Willingness]?
        public var crossDepartment: Bool?
        public var enterpriseSizes: [EnterpriseSize]?
        public var channels: [NeedChannel]?
        public var problemTypes: [ProblemType]?
        public var common: Bool?

        public init() {}

        public func holds(for f: PushFacts) -> Bool {
            if let classes, !classes.contains(where: f.classes.contains) { return false }
            if let needClasses, !needClasses.contains(where: f.needClasses.contains) { return false }
            if let financing, financing != f.financing { return false }
            if let categories, !categories.contains(where: { $0 == f.category }) { return false }
            if let marine, marine != f.marine { return false }
            if let industries, !(f.industries.first.map(industries.contains) ?? false) { return false }
            if let unclear, unclear != f.unclear { return false }
            if let maturityAtMost, !(f.maturity.map { $0 <= maturityAtMost } ?? false) { return false }
            if let maturityAtLeast, !(f.maturity.map { $0 >= maturityAtLeast } ?? false) { return false }
            if let conversionNeeds, !conversionNeeds.contains(where: f.conversionNeeds.contains) { return false }
            if let willingness, !willingness.contains(where: { $0 == f.willingness }) { return false }
            if let crossDepartment, crossDepartment != f.crossDepartment { return false }
            if let enterpriseSizes, !enterpriseSizes.contains(where: { $0 == f.enterpriseSize }) { return false }
            if let channels, !channels.contains(where: { $0 == f.channel }) { return false }
            if let problemTypes, !problemTypes.contains(where: { $0 == f.problemType }) { return false }
            if let common, common != f.common { return false }
            return true
        }
    }

    public struct Rule: Sendable, Equatable {
        public var id: String
        public var group: String?
        public var when: Condition
        public var push: [String]
        public var reason: String
    }

    public struct NeedClass: Sendable, Equatable {
        public var when: Condition
        public var name: String
    }

    public var version: String
    public var contractClasses: [ContractClass]
    public var financingNeeds: [ConversionNeed]
    public var categories: [Category]
    public var fallbacks: [String: String]
    public var achievementRules: [Rule]
    public var needClasses: [NeedClass]
    public var needRules: [Rule]

    // MARK: - Deriving and pushing

    /// The 五技合同 classes of some transfer modes, ascending.
    public func classes(of modes: [TransferMode]) -> [Int] {
        contractClasses.filter { $0.transferModes.contains(where: modes.contains) }.map(\.number).sorted()
    }

    public func className(_ number: Int) -> String? { contractClasses.first { $0.number == number }?.name }
    public func categoryName(_ category: AchievementCategory) -> String? { categories.first { $0.category == category }?.name }

    /// The facts of a record as routed; `common` says whether a need is in a group of common needs.
    public func facts(for record: MarketRecord, decision: RouteDecision, common: Bool = false) -> PushFacts {
        var f = PushFacts(isNeed: false)
        f.industries = decision.industries
        f.marine = decision.marine
        f.unclear = decision.unclear
        f.region = record.region
        switch record {
        case .achievement(let a):
            f.classes = classes(of: a.transferModes)
            f.financing = a.conversionNeeds.contains(where: financingNeeds.contains)
            f.category = a.category
            f.maturity = a.maturity
            f.conversionNeeds = a.conversionNeeds
            f.willingness = a.willingness
        case .need(let n):
            f.isNeed = true
            f.enterpriseSize = n.enterpriseSize
            f.channel = n.channel
            f.problemType = n.problemType
            f.maturity = n.minMaturity
            f.common = common
            f.needClasses = derivedNeedClasses(f)
        }
        return f
    }

    /// The classes of every matching `need_classes` entry, unique, in table order.
    public func derivedNeedClasses(_ facts: PushFacts) -> [String] {
        var out: [String] = []
        for entry in needClasses where entry.when.holds(for: facts) && !out.contains(entry.name) { out.append(entry.name) }
        return out
    }

    /// The pushes of the applying rules, in table order.
    public func pushes(for facts: PushFacts) -> [Push] {
        var usedGroups = Set<String>()
        var out: [Push] = []
        for rule in facts.isNeed ? needRules : achievementRules where rule.when.holds(for: facts) {
            if let group = rule.group {
                guard usedGroups.insert(group).inserted else { continue }
            }
            out.append(Push(rule: rule.id, destinations: rule.push.map { fill($0, facts) }, reason: rule.reason))
        }
        return out
    }

    /// Destinations of pushes, unique, in order.
    public static func destinations(of pushes: [Push]) -> [String] {
        var out: [String] = []
        for push in pushes { for d in push.destinations where !out.contains(d) { out.append(d) } }
        return out
    }

    private func fill(_ template: String, _ facts: PushFacts) -> String {
        var text = template
        if text.contains("{region}") {
            let region = facts.region.flatMap { $0.isEmpty ? nil : $0 } ?? fallbacks["region"] ?? "相关区（市）"
            text = text.replacingOccurrences(of: "{region}", with: region)
        }
        if text.contains("{industry}") {
            let industry = facts.industries.first?.chineseName ?? fallbacks["industry"] ?? "待分类"
            text = text.replacingOccurrences(of: "{industry}", with: industry)
        }
        return text
    }

    // MARK: - Loading

    public static func load(from url: URL) throws(RoutingError) -> PushTable {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(file: url.relativePath, reason: error.localizedDescription)
        }
        return try parse(data: data, file: url.relativePath)
    }

    public static func parse(data: Data, file: String) throws(RoutingError) -> PushTable {
        let text = String(decoding: data, as: UTF8.self)
        let root: [String: JSONValue]
        do {
            guard case .object(let object) = try JSONValue(parsing: data) else {
                throw RoutingError.invalid(file: file, line: 1, field: "(file)", reason: "expected one JSON object")
            }
            root = object
        } catch let error as RoutingError {
            throw error
        } catch {
            throw .invalid(file: file, line: nil, field: "(file)", reason: "invalid JSON: \(error)")
        }
        var reader = ConfigReader(file: file, text: text)
        try reader.allowOnly(root, ["version", "source_note", "contract_classes", "financing_needs", "categories", "fallbacks",
                                    "achievement_rules", "need_classes", "need_rules"], at: "(file)")
        let version = try reader.string(root["version"], field: "version")
        var contract: [ContractClass] = []
        for (i, item) in try reader.array(root["contract_classes"], field: "contract_classes").enumerated() {
            let field = "contract_classes[\(i)]"
            let object = try reader.object(item, field: field)
            try reader.allowOnly(object, ["class", "name", "transfer_modes"], at: field)
            let number = try reader.integer(object["class"], field: field + ".class")
            guard (1...3).contains(number) else { throw reader.error(field + ".class", "must be 1, 2 or 3, got \(number)") }
            contract.append(ContractClass(number: number, name: try reader.string(object["name"], field: field + ".name"),
                                          transferModes: try reader.codes(object["transfer_modes"], field: field + ".transfer_modes")))
        }
        let financing: [ConversionNeed] = try reader.codes(root["financing_needs"], field: "financing_needs")
        var categories: [Category] = []
        for (i, item) in try reader.array(root["categories"], field: "categories").enumerated() {
            let field = "categories[\(i)]"
            let object = try reader.object(item, field: field)
            try reader.allowOnly(object, ["category", "name"], at: field)
            let codes: [AchievementCategory] = try reader.codes(.array([object["category"] ?? .null]), field: field + ".category")
            categories.append(Category(category: codes[0], name: try reader.string(object["name"], field: field + ".name")))
        }
        var fallbacks: [String: String] = [:]
        if let value = root["fallbacks"] {
            let object = try reader.object(value, field: "fallbacks")
            try reader.allowOnly(object, ["region", "industry"], at: "fallbacks")
            for (key, value) in object { fallbacks[key] = try reader.string(value, field: "fallbacks.\(key)") }
        }
        let achievementRules = try reader.rules(root["achievement_rules"], field: "achievement_rules", needs: false)
        var needClasses: [NeedClass] = []
        for (i, item) in try reader.array(root["need_classes"], field: "need_classes").enumerated() {
            let field = "need_classes[\(i)]"
            let object = try reader.object(item, field: field)
            try reader.allowOnly(object, ["when", "class"], at: field)
            needClasses.append(NeedClass(when: try reader.condition(object["when"], field: field + ".when", needs: true),
                                         name: try reader.string(object["class"], field: field + ".class")))
        }
        let needRules = try reader.rules(root["need_rules"], field: "need_rules", needs: true)
        return PushTable(version: version, contractClasses: contract, financingNeeds: financing, categories: categories,
                         fallbacks: fallbacks, achievementRules: achievementRules, needClasses: needClasses, needRules: needRules)
    }
}

/// Typed reading of a configuration object, with errors that name file, line and field.
struct ConfigReader {
    let file: String
    let text: String
    /// The line errors point at: the line of the entry being read, when known.
    var line: Int?

    init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    func error(_ field: String, _ reason: String) -> RoutingError {
        .invalid(file: file, line: line, field: field, reason: reason)
    }

    /// The 1-based line of the first occurrence of `needle`, if any.
    func lineOf(_ needle: String) -> Int? {
        guard let range = text.range(of: needle) else { return nil }
        return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    func allowOnly(_ object: [String: JSONValue], _ keys: Set<String>, at field: String) throws(RoutingError) {
        if let unknown = object.keys.filter({ !keys.contains($0) }).sorted().first {
            throw error(field, "unknown key '\(unknown)'; allowed: " + keys.sorted().joined(separator: ", "))
        }
    }

    func object(_ value: JSONValue?, field: String) throws(RoutingError) -> [String: JSONValue] {
        guard case .object(let object)? = value else { throw error(field, "expected an object") }
        return object
    }

    func array(_ value: JSONValue?, field: String) throws(RoutingError) -> [JSONValue] {
        guard case .array(let items)? = value else { throw error(field, "expected an array") }
        return items
    }

    func string(_ value: JSONValue?, field: String) throws(RoutingError) -> String {
        guard case .string(let s)? = value, !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw error(field, "expected a non-empty string") }
        return s
    }

    func bool(_ value: JSONValue?, field: String) throws(RoutingError) -> Bool {
        guard case .bool(let b)? = value else { throw error(field, "expected true or false") }
        return b
    }

    func integer(_ value: JSONValue?, field: String) throws(RoutingError) -> Int {
        guard case .number(let n)? = value, n.rounded() == n, abs(n) < 1e9 else { throw error(field, "expected an integer") }
        return Int(n)
    }

    /// A list of format codes (a single value is accepted as a list of one).
    func codes<E: FormatEnumeration>(_ value: JSONValue?, field: String) throws(RoutingError) -> [E] {
        var items: [JSONValue] = []
        switch value {
        case .array(let list)?: items = list
        case .string?: items = [value!]
        default: throw error(field, "expected an array of codes")
        }
        var out: [E] = []
        for item in items {
            guard case .string(let s) = item, let code = E(rawValue: s) else {
                throw error(field, "unknown value \(item.shortDescription); allowed: " + E.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if !out.contains(code) { out.append(code) }
        }
        return out
    }

    static let achievementConditions: Set<String> = ["class", "financing", "category", "marine", "industry", "unclear", "maturity_at_most",
                                                     "maturity_at_least", "conversion_needs", "willingness", "cross_department"]
    static let needConditions: Set<String> = ["class", "marine", "industry", "unclear", "maturity_at_most", "maturity_at_least",
                                              "enterprise_size", "channel", "problem_type", "common"]

    func condition(_ value: JSONValue?, field: String, needs: Bool) throws(RoutingError) -> PushTable.Condition {
        var c = PushTable.Condition()
        guard let value else { return c }
        let object = try object(value, field: field)
        try allowOnly(object, needs ? Self.needConditions : Self.achievementConditions, at: field)
        for key in object.keys.sorted() {
            let v = object[key], f = "\(field).\(key)"
            switch key {
            case "class":
                if needs {
                    c.needClasses = try array(v, field: f).map { item throws(RoutingError) in try string(item, field: f) }
                } else {
                    let numbers = try array(v, field: f).map { item throws(RoutingError) in try integer(item, field: f) }
                    guard numbers.allSatisfy((1...3).contains) else { throw error(f, "classes are 1, 2 and 3") }
                    c.classes = numbers
                }
            case "financing": c.financing = try bool(v, field: f)
            case "category": c.categories = try codes(v, field: f)
            case "marine": c.marine = try bool(v, field: f)
            case "industry": c.industries = try codes(v, field: f)
            case "unclear": c.unclear = try bool(v, field: f)
            case "maturity_at_most", "maturity_at_least":
                let level = try integer(v, field: f)
                guard (1...5).contains(level) else { throw error(f, "a maturity level is 1–5, got \(level)") }
                if key == "maturity_at_most" { c.maturityAtMost = level } else { c.maturityAtLeast = level }
            case "conversion_needs": c.conversionNeeds = try codes(v, field: f)
            case "willingness": c.willingness = try codes(v, field: f)
            case "cross_department": c.crossDepartment = try bool(v, field: f)
            case "enterprise_size": c.enterpriseSizes = try codes(v, field: f)
            case "channel": c.channels = try codes(v, field: f)
            case "problem_type": c.problemTypes = try codes(v, field: f)
            case "common": c.common = try bool(v, field: f)
            default: break
            }
        }
        return c
    }

    mutating func rules(_ value: JSONValue?, field: String, needs: Bool) throws(RoutingError) -> [PushTable.Rule] {
        var out: [PushTable.Rule] = []
        var ids = Set<String>()
        for (i, item) in try array(value, field: field).enumerated() {
            line = nil
            var f = "\(field)[\(i)]"
            let object = try object(item, field: f)
            if case .string(let id)? = object["id"] {
                f = "\(field)[\(id)]"
                line = lineOf("\"id\": \"\(id)\"") ?? lineOf("\"id\":\"\(id)\"")
            }
            try allowOnly(object, ["id", "group", "when", "push", "reason"], at: f)
            let id = try string(object["id"], field: f + ".id")
            guard ids.insert(id).inserted else { throw error(f + ".id", "duplicate rule id '\(id)'") }
            let group = try object["group"].map { value throws(RoutingError) in try string(value, field: f + ".group") }
            let destinations = try array(object["push"], field: f + ".push").map { value throws(RoutingError) in try string(value, field: f + ".push") }
            guard !destinations.isEmpty else { throw error(f + ".push", "a rule needs at least one destination") }
            out.append(PushTable.Rule(id: id, group: group, when: try condition(object["when"], field: f + ".when", needs: needs),
                                      push: destinations, reason: try string(object["reason"], field: f + ".reason")))
        }
        line = nil
        return out
    }
}
