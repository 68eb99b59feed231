import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoVectors

/// Settings of ``NeedPooling``. The defaults were chosen on the development set (see
/// ``NeedPooling``); none of them depends on the size of the market.
public struct PoolingConfiguration: Equatable, Sendable {
    /// m: the achievements that anchor a need to the supply side (default 5).
    public var anchors = 5
    /// w: the weight of a need's own latent vector next to its anchor vector (default 0.5).
    public var ownWeight: Float = 0.5
    /// τ: the least average link strength, in standard deviations, at which two groups of needs
    /// are merged (default 2).
    public var linkThreshold: Float = 2
    /// M: the strongest links kept per need (default 16).
    public var neighbours = 16
    /// A pool has at least this many members (default 2; a copy is not a member of its own).
    public var minimumMembers = 2
    /// …from at least this many enterprises (default 2: the needs of one enterprise are its own
    /// project, not a 集采研发 pool). A need without an enterprise counts as one of its own.
    public var minimumEnterprises = 2
    /// Core terms reported per pool (default 8) and how many of them make the label (default 3).
    public var coreTerms = 8
    public var labelTerms = 3
    /// At most this many achievements in a supplier proposal (default 3), chosen among the
    /// `supplierCandidates` best matches of the pool (default 20).
    public var maximumSuppliers = 3
    public var supplierCandidates = 20
    /// How copies of one need are recognised.
    public var duplicates = DuplicateDetector()

    public init() {}

    func validate() throws {
        guard anchors >= 0, ownWeight >= 0, linkThreshold.isFinite, neighbours >= 1, minimumMembers >= 2,
              minimumEnterprises >= 1, coreTerms >= 1, labelTerms >= 1, maximumSuppliers >= 1, supplierCandidates >= 1 else {
            throw EngineError.invalidInput("invalid pooling configuration: \(self)")
        }
    }
}

/// A pool of common needs (行业共性需求, the seed of a 集采研发 project).
public struct NeedPool: Codable, Equatable, Sendable {
    /// One member need; `copies` are the same need submitted again (see ``DuplicateDetector``).
    public struct Member: Codable, Equatable, Sendable {
        public var id: String
        public var title: String
        public var enterprise: String?
        /// 1 − cos(need, pool centroid) in the pooling space: 0 at the core.
        public var distance: Double
        public var copies: [String]
    }

    /// One achievement of the supplier proposal.
    public struct Supplier: Codable, Equatable, Sendable {
        public var id: String
        public var title: String
        public var institution: String?
        /// The hybrid ranking score of the achievement for the pool as a whole.
        public var score: Double
        /// The core terms this achievement covers that the ones before it did not.
        public var covers: [String]
    }

    /// `G1`, `G2`, … by decreasing member count, then by the first member's input position.
    public var id: String
    /// Chinese label: the leading core terms that occur in the members' own text.
    public var label: String
    /// Every need of the pool, copies included, in input order.
    public var needs: [String]
    /// The pool's distinctive terms, strongest first.
    public var coreTerms: [String]
    /// Members, closest to the core first.
    public var members: [Member]
    /// Distinct enterprises (organisation aliases folded), in member order.
    public var enterprises: [String]
    /// Σ budget_wan of the members that state one (a copy's budget is not counted again).
    public var budgetWan: Double
    public var budgetedMembers: Int
    /// The members' industries, most frequent first (ties in the FORMATS.md order).
    public var industries: [Industry]
    /// The supplier proposal; nil when the market has no achievements.
    public var suppliers: [Supplier]?
    /// The distinct institutions behind `suppliers`.
    public var institutions: [String]?
    /// Core terms no proposed supplier covers.
    public var uncoveredTerms: [String]?

    enum CodingKeys: String, CodingKey {
        case id, label, needs, members, enterprises, industries, suppliers, institutions
        case coreTerms = "core_terms", budgetWan = "budget_wan", budgetedMembers = "budgeted_members"
        case uncoveredTerms = "uncovered_terms"
    }
}

/// What a pooling run found.
public struct PoolingResult: Sendable {
    public var pools: [NeedPool]
    /// Copies among the market's needs.
    public var duplicates: [DuplicateGroup]
    /// Market needs (copies not counted) that are in no pool, in input order.
    public var singletons: [String]
    /// Whether needs were anchored to achievements (false when the model has none).
    public var anchored: Bool
    /// Whether supplier proposals were made (false when the market has no achievements).
    public var proposedSuppliers: Bool
}

/// Pools of common needs: needs from different enterprises that share one underlying problem,
/// worded differently and often vaguely, grouped so that a 集采研发 project can be proposed to
/// them together, with the achievements that could answer them.
///
/// **Space.** Each need's query vector is its TF-IDF row expanded with the thesaurus (symptom →
/// technique, synonyms) and projected into the LSA space, as in matching: z = its unit latent
/// vector. Vague needs share few words with each other, but they are answered by the same
/// achievements, so each need is also anchored to the supply side: its `m` best achievements
/// among those of its primary industry, by the hybrid ranking score s, give
///
///     a = normalize(Σ s⁺ · latent(achievement)),      p = normalize(a + w · z)
///
/// (m = 5, w = 0.5). Without achievements, p = z.
///
/// **Blocks.** Pools form within one primary industry (the 10+1 产业专班 that would run the
/// project); needs without an industry form a block of their own.
///
/// **Link strength.** Cosines mean different things in different industries (every 低空经济 need
/// says 无人机), so each cosine is read against the need's own distribution of cosines with the
/// other needs of its block, μᵢ and σᵢ, and symmetrised:
///
///     zᵢⱼ = ½ · ((cos(pᵢ, pⱼ) − μᵢ)/σᵢ + (cos(pᵢ, pⱼ) − μⱼ)/σⱼ)
///
/// μ and σ come in closed form from two `sgemm` products per block (Σⱼ pⱼ and Σⱼ pⱼpⱼᵀ), with
/// no loop over pairs. Reference needs (``PoolingMarket``) join these sums but are never
/// linked. Each need keeps its M = 16 strongest positive links (blocked `sgemm` of its block,
/// bounded top-M selection); a block of fewer than 3 needs has no links.
///
/// **Grouping.** Average-linkage agglomeration on that sparse graph: the two groups with the
/// highest mean z over all their member pairs (a pair without a link counts 0, its need's mean)
/// merge, until no two groups reach τ = 2 standard deviations. The rule is a statistical one,
/// so it needs no per-market tuning. Groups with fewer than 2 members or from fewer than 2
/// enterprises stay singletons. Copies (``DuplicateDetector``) are collapsed first: a need and
/// its copy become one member with the copy linked.
///
/// **Chosen on the development set** (364 needs; `pools.tsv`: 60 pools of 3–4 needs, 148
/// singletons, each singleton its own label): with these defaults the adjusted Rand index is
/// 0.657 (pair precision 0.657, recall 0.660); it stays within 0.63–0.68 for m in 3…8, w in
/// 0.25…1 and τ in 1.75…2, falls to 0.43 without anchors (p = z), and pooling across industries
/// instead of within them scored about 0.13 lower. Against the topics the set was written
/// from (its 49 two-need topics then count as groups) the index is 0.75 (precision 0.81): most
/// pairs counted wrong above are the two needs of such a topic, which `pools.tsv` leaves single.
///
/// - Complexity: with n needs, b per block, rank k and q achievements: anchoring is a ranking of
///   n queries, O(n·q·k); statistics O(b·k²) and neighbours O(b²·k) per block by BLAS, plus
///   O(b² log M) selection; the agglomeration O(E log E) for E ≤ n·M links; profiles and supplier
///   proposals O(pool size · terms) per pool.
public enum NeedPooling {
    /// Pools the market's needs.
    public static func pools(in market: PoolingMarket, thesaurus: Thesaurus?, configuration: PoolingConfiguration = .init(),
                             threads: Int = 1) throws -> PoolingResult {
        try configuration.validate()
        let model = market.model
        let marketNeeds = Array(model.needs[0..<market.needCount])
        let duplicates = configuration.duplicates.groups(marketNeeds)
        var copyOf: [Int: Int] = [:]
        for group in duplicates { for copy in group.copies { copyOf[copy.index] = group.primaryIndex } }

        // The population: market needs that are not copies, then the reference needs.
        let primaries = (0..<market.needCount).filter { copyOf[$0] == nil }
        let population = primaries + Array(market.needCount..<model.needs.count)
        let space = PoolingSpace(model: model, population: population, thesaurus: thesaurus,
                                 configuration: configuration, threads: threads)
        let graph = space.linkGraph(marketCount: primaries.count, configuration: configuration, threads: threads)
        let clusters = AverageLinkage.clusters(nodeCount: primaries.count, links: graph, threshold: configuration.linkThreshold)

        var copies: [Int: [Int]] = [:]
        for (copy, primary) in copyOf { copies[primary, default: []].append(copy) }
        var profiler = PoolProfiler(market: market, space: space, thesaurus: thesaurus, configuration: configuration)
        var accepted: [[Int]] = []  // positions in `primaries`
        for cluster in clusters where cluster.count >= configuration.minimumMembers {
            if profiler.enterpriseCount(cluster.map { primaries[$0] }) >= configuration.minimumEnterprises {
                accepted.append(cluster.sorted())
            }
        }
        accepted.sort { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        var pools: [NeedPool] = []
        var cores: [[(column: Int32, score: Float)]] = []
        var pooled = Set<Int>()
        for (number, cluster) in accepted.enumerated() {
            let described = profiler.pool(id: "G\(number + 1)", members: cluster, primaries: primaries,
                                          copies: copies.mapValues { $0.sorted() })
            pools.append(described.pool)
            cores.append(described.core)
            for position in cluster { pooled.insert(primaries[position]) }
        }
        if market.achievementCount > 0 {
            profiler.proposeSuppliers(&pools, members: accepted, cores: cores, threads: threads)
        }
        let singletons = primaries.filter { !pooled.contains($0) }.map { model.needs[$0].id }
        return PoolingResult(pools: pools, duplicates: duplicates, singletons: singletons,
                             anchored: space.anchored, proposedSuppliers: market.achievementCount > 0)
    }
}
