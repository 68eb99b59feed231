/// The metadata of one side of a pair, packed for the inner ranking loop.
///
/// Codes are small integers assigned by the engine: industries and transfer modes as bit
/// sets, regions and organisations as interned ids (0 = unknown).
public struct PairTraits: Equatable, Sendable {
    /// Bit i set: the record belongs to industry i (0–10 in FORMATS.md order).
    public var industries: UInt16
    /// Bit of the primary (first listed) industry, or 0.
    public var primaryIndustry: UInt16
    /// Achievement: its 技术成熟度; need: its `min_maturity`; 0 = not given.
    public var maturity: Int8
    /// Achievement: `transfer_modes`; need: `expected_modes`; bit i per mode in FORMATS.md order.
    public var modes: UInt8
    /// Achievement: 0 unknown, 1 none, 2 normal, 3 strong. Needs: 0.
    public var willingness: Int8
    /// −1 not marine, 0 unknown, 1 marine.
    public var marine: Int8
    public var region: Int32
    public var organization: Int32

    public init(industries: UInt16 = 0, primaryIndustry: UInt16 = 0, maturity: Int8 = 0, modes: UInt8 = 0,
                willingness: Int8 = 0, marine: Int8 = 0, region: Int32 = 0, organization: Int32 = 0) {
        self.industries = industries
        self.primaryIndustry = primaryIndustry
        self.maturity = maturity
        self.modes = modes
        self.willingness = willingness
        self.marine = marine
        self.region = region
        self.organization = organization
    }

    public static let willingnessNone: Int8 = 1
    public static let willingnessStrong: Int8 = 3
}

/// Hard filters: a candidate that fails one is never ranked.
public struct MatchFilters: Equatable, Sendable, Codable {
    /// Keep only candidates in this industry (bit set; 0 = any).
    public var industries: UInt16 = 0
    /// Keep only candidates in this region id (0 = any).
    public var region: Int32 = 0
    /// Keep only achievements at or above this 技术成熟度 (0 = no limit). When
    /// `enforceNeedMaturity` is set, a need's own `min_maturity` also applies.
    public var minimumMaturity: Int8 = 0
    public var enforceNeedMaturity = false
    /// Require the achievement's transfer modes to meet the need's expected modes (when both are given).
    public var requireModeOverlap = false
    /// Drop achievements whose 转化意愿 is 无.
    public var excludeUnwilling = false

    public init() {}
}

/// Soft adjustments from metadata, added to the text score. Defaults were chosen on the
/// development set (see README): they reorder near-ties and demote poor fits, but are too
/// small to lift an unrelated listing over a related one.
public struct MetadataAdjustments: Equatable, Sendable, Codable {
    /// Added when the two sides share an industry; `primaryIndustryBonus` more when the primaries agree.
    public var sharedIndustryBonus: Float = 0.03
    public var primaryIndustryBonus: Float = 0.01
    /// Subtracted per level the achievement's maturity is below the need's `min_maturity` (at most 3 levels).
    public var maturityShortfallPenalty: Float = 0.02
    /// Added when transfer modes meet expected modes; subtracted when both are given and disjoint.
    public var modeOverlapBonus: Float = 0.01
    public var modeMismatchPenalty: Float = 0.02
    /// Subtracted for 转化意愿 无; added for 强烈.
    public var unwillingPenalty: Float = 0.05
    public var strongWillingnessBonus: Float = 0.005
    /// Added when both are in the same 区(市) (本地转化).
    public var sameRegionBonus: Float = 0.005

    public init() {}

    public static let none: MetadataAdjustments = {
        var a = MetadataAdjustments()
        a.sharedIndustryBonus = 0; a.primaryIndustryBonus = 0; a.maturityShortfallPenalty = 0
        a.modeOverlapBonus = 0; a.modeMismatchPenalty = 0; a.unwillingPenalty = 0
        a.strongWillingnessBonus = 0; a.sameRegionBonus = 0
        return a
    }()

    /// The largest total bonus and the largest total penalty any pair can get.
    public var bounds: (lower: Float, upper: Float) {
        let upper = sharedIndustryBonus + primaryIndustryBonus + modeOverlapBonus + strongWillingnessBonus + sameRegionBonus
        let lower = -(3 * maturityShortfallPenalty + modeMismatchPenalty + unwillingPenalty)
        return (lower, upper)
    }
}

/// The rules that relate a need to an achievement, whichever side is the query.
public enum PairRules {
    /// Whether the pair may be ranked at all.
    @inlinable
    public static func isEligible(need: PairTraits, achievement: PairTraits, filters: MatchFilters) -> Bool {
        if need.organization != 0 && need.organization == achievement.organization { return false }
        if filters.excludeUnwilling && achievement.willingness == PairTraits.willingnessNone { return false }
        if filters.minimumMaturity > 0 && achievement.maturity < filters.minimumMaturity { return false }
        if filters.enforceNeedMaturity && need.maturity > 0 && achievement.maturity > 0 && achievement.maturity < need.maturity { return false }
        if filters.requireModeOverlap && need.modes != 0 && achievement.modes != 0 && need.modes & achievement.modes == 0 { return false }
        return true
    }

    /// Whether a candidate (the ranked side) passes the candidate-only filters.
    @inlinable
    public static func passesCandidateFilters(_ candidate: PairTraits, filters: MatchFilters) -> Bool {
        if filters.industries != 0 && candidate.industries & filters.industries == 0 { return false }
        if filters.region != 0 && candidate.region != filters.region { return false }
        return true
    }

    /// The sum of the soft adjustments for the pair.
    @inlinable
    public static func adjustment(need: PairTraits, achievement: PairTraits, weights: MetadataAdjustments) -> Float {
        var total: Float = 0
        if need.industries & achievement.industries != 0 {
            total += weights.sharedIndustryBonus
            if need.primaryIndustry != 0 && need.primaryIndustry == achievement.primaryIndustry { total += weights.primaryIndustryBonus }
        }
        if need.maturity > 0 && achievement.maturity > 0 && achievement.maturity < need.maturity {
            total -= weights.maturityShortfallPenalty * Float(min(3, need.maturity - achievement.maturity))
        }
        if need.modes != 0 && achievement.modes != 0 {
            total += need.modes & achievement.modes != 0 ? weights.modeOverlapBonus : -weights.modeMismatchPenalty
        }
        if achievement.willingness == PairTraits.willingnessNone { total -= weights.unwillingPenalty }
        if achievement.willingness == PairTraits.willingnessStrong { total += weights.strongWillingnessBonus }
        if need.region != 0 && need.region == achievement.region { total += weights.sameRegionBonus }
        return total
    }
}
