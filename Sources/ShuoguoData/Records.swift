/// What achievements and needs have in common, for code that treats both sides alike.
public protocol Record: Sendable, Equatable, Identifiable where ID == String {
    /// Stable identifier, unique within its file: 1–64 characters of `[A-Za-z0-9_.:-]`.
    var id: String { get }
    /// Name of the achievement or need; never empty or whitespace only.
    var title: String { get }
    /// All searchable text, with the parts separated by newlines (see each type).
    var text: String { get }
    /// "10+1" industries; the first is the primary one. Empty when not given.
    var industry: [Industry] { get }
    /// Whether the item also belongs to the 现代海洋产业体系; `nil` when not stated.
    var marine: Bool? { get }
    /// 区(市).
    var region: String? { get }
    /// `YYYY-MM-DD`, a real calendar date.
    var date: String? { get }
    /// Fields the format does not define, kept so that export writes them back.
    var extra: [String: JSONValue] { get }
}

/// A record that reads itself from, and writes itself to, one JSON object of a JSON Lines
/// file. ``JSONLines`` is generic over this protocol.
public protocol JSONRecord: Record {
    /// The fields the format defines for this record, in the order of the format table.
    /// Everything else in an object goes to ``Record/extra``.
    static var formatFields: [String] { get }

    /// Validates and decodes one JSON object.
    ///
    /// Validation does not stop at the first problem: the error lists one problem per bad
    /// field, in ``formatFields`` order. `null` in an optional field counts as absent; in a
    /// required field it is a type error. Repeated values inside an array field are
    /// collapsed silently, keeping the first occurrence's position.
    init(jsonObject: [String: JSONValue]) throws(RecordValidationError)

    /// The JSON object for this record: unknown fields from ``Record/extra`` plus the format
    /// fields, with `nil` optionals and empty arrays omitted. A key in `extra` that is also
    /// a format field is ignored (the typed property wins).
    var jsonObject: [String: JSONValue] { get }
}

/// One problem with one field of a record (`field == nil` for the record as a whole).
public struct FieldProblem: Sendable, Equatable, CustomStringConvertible {
    public var field: String?
    public var reason: String

    public init(field: String?, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String {
        field.map { "\($0): \(reason)" } ?? reason
    }
}

/// Every problem that made a JSON object unacceptable as a record.
public struct RecordValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [FieldProblem]

    public init(problems: [FieldProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "; ")
    }
}

// MARK: - Achievement

/// A 科技成果 (supply side), one line of `achievements.jsonl`.
public struct Achievement: JSONRecord, Hashable {
    public var id: String
    /// 成果名称.
    public var title: String
    /// 成果简介: background, principle, innovations, indicators, IP. May be empty.
    public var summary: String
    /// 应用领域描述.
    public var application: String?
    /// Author keywords, without repeats.
    public var keywords: [String]
    /// 所属单位.
    public var institution: String?
    public var category: AchievementCategory?
    /// 技术成熟度 1–5; see ``Achievement/maturityLabels``.
    public var maturity: Int?
    /// 技术先进度 1–5; see ``Achievement/advancementLabels``.
    public var advancement: Int?
    /// 拟转化方式, without repeats.
    public var transferModes: [TransferMode]
    public var willingness: Willingness?
    /// 转化需求, without repeats.
    public var conversionNeeds: [ConversionNeed]
    public var industry: [Industry]
    public var marine: Bool?
    public var region: String?
    public var date: String?
    public var extra: [String: JSONValue]

    public init(
        id: String, title: String, summary: String, application: String? = nil, keywords: [String] = [],
        institution: String? = nil, category: AchievementCategory? = nil, maturity: Int? = nil,
        advancement: Int? = nil, transferModes: [TransferMode] = [], willingness: Willingness? = nil,
        conversionNeeds: [ConversionNeed] = [], industry: [Industry] = [], marine: Bool? = nil,
        region: String? = nil, date: String? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.application = application
        self.keywords = keywords
        self.institution = institution
        self.category = category
        self.maturity = maturity
        self.advancement = advancement
        self.transferModes = transferModes
        self.willingness = willingness
        self.conversionNeeds = conversionNeeds
        self.industry = industry
        self.marine = marine
        self.region = region
        self.date = date
        self.extra = extra
    }

    /// 技术成熟度 labels; index `level - 1`.
    public static let maturityLabels = ["正在研发", "已有样品", "通过小试", "通过中试", "可以量产"]
    /// 技术先进度 labels; index `level - 1`.
    public static let advancementLabels = ["国家/行业标准", "国内先进", "国内领先", "国际先进", "国际领先"]

    /// Title, summary, application and keywords, non-empty parts joined by newlines.
    public var text: String {
        var parts = [title, summary]
        if let application { parts.append(application) }
        parts.append(contentsOf: keywords)
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    public static let formatFields = [
        "id", "title", "summary", "application", "keywords", "institution", "category", "maturity",
        "advancement", "transfer_modes", "willingness", "conversion_needs", "industry", "marine",
        "region", "date",
    ]
    private static let formatFieldSet = Set(formatFields)

    public init(jsonObject object: [String: JSONValue]) throws(RecordValidationError) {
        var reader = FieldReader(object)
        let id = reader.identifier()
        let title = reader.title()
        let summary = reader.requiredString("summary")
        let application = reader.string("application")
        let keywords = reader.stringArray("keywords")
        let institution = reader.string("institution")
        let category = reader.enumeration("category", as: AchievementCategory.self)
        let maturity = reader.level("maturity")
        let advancement = reader.level("advancement")
        let transferModes = reader.enumerationArray("transfer_modes", as: TransferMode.self)
        let willingness = reader.enumeration("willingness", as: Willingness.self)
        let conversionNeeds = reader.enumerationArray("conversion_needs", as: ConversionNeed.self)
        let industry = reader.enumerationArray("industry", as: Industry.self)
        let marine = reader.boolean("marine")
        let region = reader.string("region")
        let date = reader.date("date")
        guard reader.problems.isEmpty, let id, let title, let summary else {
            throw RecordValidationError(problems: reader.problems)
        }
        self.init(
            id: id, title: title, summary: summary, application: application, keywords: keywords,
            institution: institution, category: category, maturity: maturity, advancement: advancement,
            transferModes: transferModes, willingness: willingness, conversionNeeds: conversionNeeds,
            industry: industry, marine: marine, region: region, date: date,
            extra: reader.unknownFields(known: Achievement.formatFieldSet))
    }

    public var jsonObject: [String: JSONValue] {
        var object = extra.filter { !Achievement.formatFieldSet.contains($0.key) }
        object["id"] = .string(id)
        object["title"] = .string(title)
        object["summary"] = .string(summary)
        object.put("application", application)
        object.put("keywords", keywords)
        object.put("institution", institution)
        object.put("category", category)
        object.put("maturity", maturity)
        object.put("advancement", advancement)
        object.put("transfer_modes", transferModes)
        object.put("willingness", willingness)
        object.put("conversion_needs", conversionNeeds)
        object.put("industry", industry)
        object.put("marine", marine)
        object.put("region", region)
        object.put("date", date)
        return object
    }
}

// MARK: - Need

/// A 企业技术需求 (demand side), one line of `needs.jsonl`.
public struct Need: JSONRecord, Hashable {
    public var id: String
    /// 需求名称.
    public var title: String
    /// 需求描述; often vague. May be empty.
    public var description: String
    /// 需求企业.
    public var enterprise: String?
    public var enterpriseSize: EnterpriseSize?
    public var channel: NeedChannel?
    public var problemType: ProblemType?
    public var industry: [Industry]
    public var marine: Bool?
    public var region: String?
    /// Budget in 万元, ≥ 0.
    public var budgetWan: Double?
    /// Cooperation modes the enterprise would accept, without repeats.
    public var expectedModes: [TransferMode]
    /// Least 技术成熟度 (1–5) the enterprise can use.
    public var minMaturity: Int?
    public var date: String?
    public var extra: [String: JSONValue]

    public init(
        id: String, title: String, description: String, enterprise: String? = nil,
        enterpriseSize: EnterpriseSize? = nil, channel: NeedChannel? = nil, problemType: ProblemType? = nil,
        industry: [Industry] = [], marine: Bool? = nil, region: String? = nil, budgetWan: Double? = nil,
        expectedModes: [TransferMode] = [], minMaturity: Int? = nil, date: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.enterprise = enterprise
        self.enterpriseSize = enterpriseSize
        self.channel = channel
        self.problemType = problemType
        self.industry = industry
        self.marine = marine
        self.region = region
        self.budgetWan = budgetWan
        self.expectedModes = expectedModes
        self.minMaturity = minMaturity
        self.date = date
        self.extra = extra
    }

    /// Title and description, non-empty parts joined by a newline.
    public var text: String {
        [title, description].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    public static let formatFields = [
        "id", "title", "description", "enterprise", "enterprise_size", "channel", "problem_type",
        "industry", "marine", "region", "budget_wan", "expected_modes", "min_maturity", "date",
    ]
    private static let formatFieldSet = Set(formatFields)

    public init(jsonObject object: [String: JSONValue]) throws(RecordValidationError) {
        var reader = FieldReader(object)
        let id = reader.identifier()
        let title = reader.title()
        let description = reader.requiredString("description")
        let enterprise = reader.string("enterprise")
        let enterpriseSize = reader.enumeration("enterprise_size", as: EnterpriseSize.self)
        let channel = reader.enumeration("channel", as: NeedChannel.self)
        let problemType = reader.enumeration("problem_type", as: ProblemType.self)
        let industry = reader.enumerationArray("industry", as: Industry.self)
        let marine = reader.boolean("marine")
        let region = reader.string("region")
        let budgetWan = reader.nonNegativeNumber("budget_wan")
        let expectedModes = reader.enumerationArray("expected_modes", as: TransferMode.self)
        let minMaturity = reader.level("min_maturity")
        let date = reader.date("date")
        guard reader.problems.isEmpty, let id, let title, let description else {
            throw RecordValidationError(problems: reader.problems)
        }
        self.init(
            id: id, title: title, description: description, enterprise: enterprise,
            enterpriseSize: enterpriseSize, channel: channel, problemType: problemType, industry: industry,
            marine: marine, region: region, budgetWan: budgetWan, expectedModes: expectedModes,
            minMaturity: minMaturity, date: date, extra: reader.unknownFields(known: Need.formatFieldSet))
    }

    public var jsonObject: [String: JSONValue] {
        var object = extra.filter { !Need.formatFieldSet.contains($0.key) }
        object["id"] = .string(id)
        object["title"] = .string(title)
        object["description"] = .string(description)
        object.put("enterprise", enterprise)
        object.put("enterprise_size", enterpriseSize)
        object.put("channel", channel)
        object.put("problem_type", problemType)
        object.put("industry", industry)
        object.put("marine", marine)
        object.put("region", region)
        if let budgetWan {
            precondition(budgetWan.isFinite, "budgetWan of \(id) is \(budgetWan); JSON needs a finite number")
            object["budget_wan"] = .number(budgetWan)
        }
        object.put("expected_modes", expectedModes)
        object.put("min_maturity", minMaturity)
        object.put("date", date)
        return object
    }
}

// MARK: - Writing fields

extension Dictionary where Key == String, Value == JSONValue {
    fileprivate mutating func put(_ key: String, _ value: String?) {
        if let value { self[key] = .string(value) }
    }

    fileprivate mutating func put(_ key: String, _ value: Int?) {
        if let value { self[key] = .number(Double(value)) }
    }

    fileprivate mutating func put(_ key: String, _ value: Bool?) {
        if let value { self[key] = .bool(value) }
    }

    fileprivate mutating func put<E: FormatEnumeration>(_ key: String, _ value: E?) {
        if let value { self[key] = .string(value.rawValue) }
    }

    fileprivate mutating func put(_ key: String, _ values: [String]) {
        if !values.isEmpty { self[key] = .array(values.map(JSONValue.string)) }
    }

    fileprivate mutating func put<E: FormatEnumeration>(_ key: String, _ values: [E]) {
        if !values.isEmpty { self[key] = .array(values.map { .string($0.rawValue) }) }
    }
}
