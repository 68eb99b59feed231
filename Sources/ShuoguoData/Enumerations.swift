/// A closed vocabulary of an interchange file: the raw value is the exact string written in
/// the file, `chineseLabel` the term used on the forms.
public protocol FormatEnumeration: RawRepresentable, CaseIterable, Hashable, Sendable, Codable
where RawValue == String, AllCases: Sendable {
    /// The label used on the Chinese forms (技术转让, 强烈, 云端研发, …).
    var chineseLabel: String { get }
}

extension FormatEnumeration {
    /// All raw values in declaration order, comma-separated, for error messages.
    static var allowedValuesList: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// The four groups into which the city's "10+1" industries fall.
public enum IndustryGroup: String, FormatEnumeration {
    /// 先导产业 (priority development).
    case leading
    /// 新兴产业 (breakthrough development).
    case emerging
    /// 优势产业 (quality upgrading).
    case advantage
    /// 未来产业: the "+1".
    case future

    public var chineseLabel: String {
        switch self {
        case .leading: "先导产业"
        case .emerging: "新兴产业"
        case .advantage: "优势产业"
        case .future: "未来产业"
        }
    }
}

/// The "10+1" industries. `allCases` is in the order of the format definition, which is
/// also the order used for grouped output.
public enum Industry: String, FormatEnumeration {
    case it, ai, health, nev, lowalt, energy, equip, appliance, chem, light, future

    public var chineseName: String {
        switch self {
        case .it: "新一代信息技术"
        case .ai: "人工智能"
        case .health: "生命健康"
        case .nev: "智能网联新能源汽车"
        case .lowalt: "低空经济"
        case .energy: "绿色能源"
        case .equip: "智能装备"
        case .appliance: "智能家电"
        case .chem: "高端化工与新材料"
        case .light: "现代轻工"
        case .future: "未来产业"
        }
    }

    /// Same as ``chineseName``.
    public var chineseLabel: String { chineseName }

    public var group: IndustryGroup {
        switch self {
        case .it, .ai: .leading
        case .health, .nev, .lowalt, .energy, .equip: .emerging
        case .appliance, .chem, .light: .advantage
        case .future: .future
        }
    }
}

/// 成果类型.
public enum AchievementCategory: String, FormatEnumeration {
    case major, industrial, enterprise

    public var chineseLabel: String {
        switch self {
        case .major: "重大科技成果"
        case .industrial: "产业应用类成果"
        case .enterprise: "企业应用类成果"
        }
    }
}

/// 拟转化方式 of an achievement, and the cooperation modes a need accepts.
public enum TransferMode: String, FormatEnumeration {
    case selfInvest = "self_invest"
    case transfer
    case license
    case coDevelop = "co_develop"
    case equity
    case other

    public var chineseLabel: String {
        switch self {
        case .selfInvest: "自行投资转化"
        case .transfer: "技术转让"
        case .license: "技术许可"
        case .coDevelop: "合作开发"
        case .equity: "技术入股"
        case .other: "其他"
        }
    }
}

/// 转化意愿.
///
/// Beware `Willingness?`: there `.none` means `nil`, not ``Willingness/none``; write
/// `Willingness.none` in full when comparing an optional.
public enum Willingness: String, FormatEnumeration {
    case strong, normal, none

    public var chineseLabel: String {
        switch self {
        case .strong: "强烈"
        case .normal: "一般"
        case .none: "无"
        }
    }
}

/// 转化需求: the help an achievement's owner asks for.
public enum ConversionNeed: String, FormatEnumeration {
    case conceptVerification = "concept_verification"
    case pilot, promotion, funding, site, team, other

    public var chineseLabel: String {
        switch self {
        case .conceptVerification: "概念验证"
        case .pilot: "中试熟化"
        case .promotion: "应用推广"
        case .funding: "政策资金支持"
        case .site: "创业场地"
        case .team: "团队组建"
        case .other: "其他"
        }
    }
}

/// Size of the enterprise behind a need.
public enum EnterpriseSize: String, FormatEnumeration {
    /// 链主/龙头企业: large firms, usually with precise requirements.
    case large
    /// 中小企业.
    case sme

    public var chineseLabel: String {
        switch self {
        case .large: "链主/龙头企业"
        case .sme: "中小企业"
        }
    }
}

/// Where a need came from.
public enum NeedChannel: String, FormatEnumeration {
    case cloudRD = "cloud_rd"
    case order, jiebang, squad, event, other

    public var chineseLabel: String {
        switch self {
        case .cloudRD: "云端研发"
        case .order: "订单式(一对一)"
        case .jiebang: "揭榜挂帅"
        case .squad: "产业专班需求清单"
        case .event: "活动发布"
        case .other: "其他"
        }
    }
}

/// The kind of problem a need is about.
public enum ProblemType: String, FormatEnumeration {
    case material, component, system, algorithm, other

    public var chineseLabel: String {
        switch self {
        case .material: "核心原材料"
        case .component: "关键零部件"
        case .system: "关键系统"
        case .algorithm: "核心算法"
        case .other: "其他"
        }
    }
}
