import Foundation
import ShuoguoData

// MARK: - Scoring

/// How a 科技创新供给清单 orders the achievements of one industry.
///
/// Three quantities, each in [0, 1]:
///
///     fit   = max(0, cos(a, c_I)) / max over the industry's achievements m of cos(m, c_I)
///     grade = w_m · (maturity − 1)/4 + w_a · (advancement − 1)/4 + w_w · will
///     score = α · fit + β · grade
///
/// * `a` is the achievement's unit LSA vector; `c_I` is the industry centroid, the mean of the
///   unit LSA vectors of every achievement and need whose `industry` field lists I (primary or
///   not), re-normalised. The cosine says how typical of the industry the achievement's text
///   is, in the latent space the matching model fitted. Raw cosines to a centroid in a
///   256-dimensional space are small and crowded (0.2–0.3 for half the members on the
///   development set), so `fit` divides by the largest cosine among the industry's members:
///   the most typical achievement has fit 1, and fit spreads about as widely as grade does.
///   The divisor is taken over the whole industry, so restricting to a track or cutting the
///   list does not change anyone's score.
/// * `grade` follows the self-assessment of the 信息征集表: 技术成熟度 and 技术先进度 on their
///   1–5 scales, 转化意愿 as `will` = 1 (强烈), 0.5 (一般), 0 (无). A level that is not stated
///   counts as the lowest (nobody vouched for it); an unstated willingness counts as 一般,
///   because silence is not the explicit refusal that 无 is.
/// * Defaults: α = 0.6, β = 0.4; w_m = 0.4, w_a = 0.3, w_w = 0.3. Maturity weighs most
///   because grading is "按照技术成熟度进行分级"; fit weighs a little more than grade so that a
///   list for one industry leads with what is central to it. With these weights 强烈 versus
///   无 moves an achievement by 0.12, one maturity level by 0.04.
///
/// Achievements whose `industry` field is empty join the list by inference: when the
/// industry is the nearest centroid with a raw cosine of at least `inferenceMinimumFit` (0.2)
/// and a lead of at least `inferenceMargin` (0.05) over the runner-up, the entry is marked
/// "inferred".
public struct SupplyScoring: Codable, Equatable, Sendable {
    public private(set) var fitWeight: Double
    public private(set) var gradeWeight: Double
    public private(set) var maturityWeight: Double
    public private(set) var advancementWeight: Double
    public private(set) var willingnessWeight: Double
    public private(set) var inferenceMinimumFit: Double
    public private(set) var inferenceMargin: Double

    /// The defaults documented above.
    public static let standard = try! SupplyScoring()

    /// Checks that every weight is finite and non-negative and that each mix sums to 1
    /// (within 1e-9), so that every quantity stays in [0, 1].
    public init(fitWeight: Double = 0.6, gradeWeight: Double = 0.4, maturityWeight: Double = 0.4,
                advancementWeight: Double = 0.3, willingnessWeight: Double = 0.3,
                inferenceMinimumFit: Double = 0.2, inferenceMargin: Double = 0.05) throws(SupplyListError) {
        let named = [("fit", fitWeight), ("grade", gradeWeight), ("maturity", maturityWeight),
                     ("advancement", advancementWeight), ("willingness", willingnessWeight),
                     ("inference minimum fit", inferenceMinimumFit), ("inference margin", inferenceMargin)]
        for (name, value) in named where !(value.isFinite && value >= 0) {
            throw .invalidScoring("\(name) weight must be a finite number ≥ 0, got \(value)")
        }
        guard abs(fitWeight + gradeWeight - 1) < 1e-9 else {
            throw .invalidScoring("fit and grade weights must sum to 1, got \(fitWeight) + \(gradeWeight)")
        }
        guard abs(maturityWeight + advancementWeight + willingnessWeight - 1) < 1e-9 else {
            throw .invalidScoring("maturity, advancement and willingness weights must sum to 1")
        }
        self.fitWeight = fitWeight
        self.gradeWeight = gradeWeight
        self.maturityWeight = maturityWeight
        self.advancementWeight = advancementWeight
        self.willingnessWeight = willingnessWeight
        self.inferenceMinimumFit = inferenceMinimumFit
        self.inferenceMargin = inferenceMargin
    }

    /// The grade of an achievement, in [0, 1].
    public func grade(of achievement: Achievement) -> Double {
        let maturity = Double((achievement.maturity ?? 1) - 1) / 4
        let advancement = Double((achievement.advancement ?? 1) - 1) / 4
        let willingness: Double = switch achievement.willingness {
        case .strong?: 1
        case .normal?, nil: 0.5
        case .none?: 0
        }
        return maturityWeight * maturity + advancementWeight * advancement + willingnessWeight * willingness
    }

    /// The relative fit of a cosine, given the largest cosine among the industry's members.
    public func fit(cosine: Double, largest: Double) -> Double {
        largest > 0 ? min(1, max(0, cosine) / largest) : 0
    }

    /// The combined score of a relative fit and a grade.
    public func score(fit: Double, grade: Double) -> Double {
        fitWeight * fit + gradeWeight * grade
    }

    /// The formula in Chinese, with this instance's weights, for the heading of every export.
    public var formula: String {
        "综合评分 = \(Self.number(fitWeight))×匹配度 + \(Self.number(gradeWeight))×等级分；"
            + "匹配度 = cos(成果LSA向量, 产业质心) ÷ 本产业成果中的最大余弦（最典型的成果为1，负值计0），产业质心为标注该产业的全部成果与需求的单位LSA向量之均值；"
            + "等级分 = \(Self.number(maturityWeight))×(技术成熟度−1)/4 + \(Self.number(advancementWeight))×(技术先进度−1)/4 + "
            + "\(Self.number(willingnessWeight))×转化意愿（强烈1、一般0.5、无0）；未填成熟度、先进度按最低级计，未填意愿按一般计；"
            + "未标注产业的成果以最近产业质心推断归属（余弦≥\(Self.number(inferenceMinimumFit))且领先次近产业≥\(Self.number(inferenceMargin))）"
    }

    static func number(_ value: Double) -> String {
        String(format: "%g", value)
    }
}

// MARK: - Request

/// What to list: one industry, optionally one 细分赛道, with the date that separates new items.
public struct SupplyListRequest: Equatable, Sendable {
    public private(set) var industry: Industry
    /// A track name or alias of the industry (resolved against the taxonomy when building).
    public private(set) var track: String?
    /// Items dated on or after this `YYYY-MM-DD` are marked 新增; `nil` marks nothing.
    public private(set) var since: String?
    /// The generation date printed on the list, `YYYY-MM-DD`.
    public private(set) var generated: String
    /// At most this many achievements (all when `nil`).
    public private(set) var top: Int?
    /// Best-matching achievements shown for each need.
    public private(set) var matchesPerNeed: Int
    /// Pairs scoring below this are not proposed. Default 0.15: on the development set, of
    /// the top-3 pairs per need inside its industry, those scoring 0.10–0.15 were relevant
    /// (qrels grade ≥ 1) 10% of the time and those below 0.10 never; 0.15–0.20, 18%; ≥ 0.4, 71%.
    public private(set) var minimumMatchScore: Double
    public private(set) var scoring: SupplyScoring

    /// Validates the dates (real calendar days), `top ≥ 1`, `1 ≤ matchesPerNeed ≤ 20` and
    /// `0 ≤ minimumMatchScore ≤ 1`.
    public init(industry: Industry, track: String? = nil, since: String? = nil, generated: String,
                top: Int? = nil, matchesPerNeed: Int = 3, minimumMatchScore: Double = 0.15,
                scoring: SupplyScoring = .standard) throws(SupplyListError) {
        if let since, !CalendarDate.isValid(since) { throw .invalidDate(option: "since", value: since) }
        guard CalendarDate.isValid(generated) else { throw .invalidDate(option: "generated", value: generated) }
        if let top, top < 1 { throw .invalidCount(option: "top", value: top, range: "≥ 1") }
        guard (1...20).contains(matchesPerNeed) else { throw .invalidCount(option: "matches", value: matchesPerNeed, range: "1…20") }
        guard (0...1).contains(minimumMatchScore) else { throw .invalidScoring("--min-match-score must be within 0…1, got \(minimumMatchScore)") }
        let trimmed = track?.trimmingCharacters(in: .whitespaces)
        self.industry = industry
        self.track = trimmed?.isEmpty == true ? nil : trimmed
        self.since = since
        self.generated = generated
        self.top = top
        self.matchesPerNeed = matchesPerNeed
        self.minimumMatchScore = minimumMatchScore
        self.scoring = scoring
    }

    /// Today in China Standard Time, `YYYY-MM-DD`: the default generation date.
    public static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

// MARK: - Result

/// A 科技创新供给清单 for one "10+1" industry (or one of its tracks), with the industry's
/// 产业需求清单 beside it: its needs, each with the best-matching achievements of the list.
public struct SupplyList: Equatable, Sendable {
    /// How an item came to be in the list.
    public enum Membership: String, Codable, Sendable {
        /// Its `industry` field lists the industry.
        case labelled
        /// Its `industry` field is empty; the nearest industry centroid (with margin) is this one.
        case inferred

        public var chineseLabel: String { self == .labelled ? "标注" : "推断" }
    }

    /// A need that counts an achievement among its best matches.
    public struct NeedLink: Equatable, Sendable {
        public var id: String
        public var title: String
        public var score: Double
    }

    /// One achievement of the list.
    public struct Entry: Equatable, Sendable {
        /// 1-based position in the list.
        public var rank: Int
        public var achievement: Achievement
        /// The 细分赛道 (canonical taxonomy name), `nil` when no track is recognised.
        public var track: String?
        public var membership: Membership
        /// Cosine of the achievement to the industry centroid (not clamped).
        public var cosine: Double
        /// The cosine relative to the industry's largest, in [0, 1] (see ``SupplyScoring``).
        public var fit: Double
        public var grade: Double
        public var score: Double
        /// Dated on or after the request's `since`.
        public var isNew: Bool
        /// Needs of the list whose best matches include this achievement, best pair first.
        public var matchedNeeds: [NeedLink]
    }

    /// A best-matching achievement of a need, with the terms the pair shares.
    public struct Match: Equatable, Sendable {
        public var id: String
        public var title: String
        public var institution: String?
        /// The achievement's position in the list before `top` cut it (> the shown count when
        /// the list was cut above it).
        public var listRank: Int
        /// The matching model's pair score (`MatchModel.rank`).
        public var score: Double
        /// Up to three shared terms, the largest contributions first.
        public var sharedTerms: [String]
    }

    /// One need of the 产业需求清单.
    public struct NeedEntry: Equatable, Sendable {
        public var rank: Int
        public var need: Need
        /// From the need's own text, else the track of its best match in the industry.
        public var track: String?
        public var membership: Membership
        public var isNew: Bool
        public var matches: [Match]
    }

    public var industry: Industry
    /// The canonical track name when the list is restricted to one track.
    public var track: String?
    public var since: String?
    public var generated: String
    public var scoring: SupplyScoring
    /// The least pair score of a proposed match (see ``SupplyListRequest/minimumMatchScore``).
    public var minimumMatchScore: Double
    /// `version` of the taxonomy the tracks come from.
    public var taxonomyVersion: String
    public var entries: [Entry]
    /// How many achievements qualified before `top` cut the list.
    public var candidateCount: Int
    public var needs: [NeedEntry]

    /// 科技创新供给清单 · <产业名>[ · <赛道>].
    public var title: String {
        "科技创新供给清单 · \(industry.chineseName)" + (track.map { " · \($0)" } ?? "")
    }

    public var newCount: Int { entries.count(where: \.isNew) }
    public var inferredCount: Int { entries.count(where: { $0.membership == .inferred }) }
}

// MARK: - Errors

/// Why a supply list could not be made; the CLI prints the description.
public enum SupplyListError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidDate(option: String, value: String)
    case invalidCount(option: String, value: Int, range: String)
    case invalidScoring(String)
    case unknownTrack(industry: Industry, track: String, known: [String])

    public var description: String {
        switch self {
        case .invalidDate(let option, let value):
            return "--\(option): '\(value)' is not a calendar date YYYY-MM-DD"
        case .invalidCount(let option, let value, let range):
            return "--\(option): \(value) is out of range (\(range))"
        case .invalidScoring(let reason):
            return "supply scoring: \(reason)"
        case .unknownTrack(let industry, let track, let known):
            return "--track: '\(track)' is not a track of \(industry.rawValue) (\(industry.chineseName)); use one of "
                + known.joined(separator: ", ")
        }
    }
}
