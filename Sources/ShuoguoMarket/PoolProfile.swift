import CLinearAlgebra
import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoVectors

/// Describes a pool: its core terms and label, its members' distances from the core, its
/// enterprises, budget and industries, and a supplier proposal.
///
/// **Core terms.** For every term t, with xᵢ the expanded TF-IDF vector of member i,
///
///     score(t) = mean over members of xᵢ[t] − mean over the pool's block of xⱼ[t]
///
/// so a term every need of the industry uses (无人机 among 低空经济 needs) scores low. Core
/// terms are those with a positive score held by at least two members, strongest first; when
/// fewer than `labelTerms` qualify, the strongest terms of single members fill up to that many.
/// The **label** joins the first `labelTerms` core terms that contain a Han character and occur
/// in a member's own text (not only through the thesaurus) with "、".
///
/// **Supplier proposal.** The pool is ranked as one query (mean of its members' expanded vectors,
/// in both spaces) against the market's achievements with the engine's hybrid ranker; among the
/// best `supplierCandidates`, a weighted greedy set cover over the core terms picks, one at a
/// time, the achievement with the largest score × Σ score(t) over the core terms t it newly
/// covers, until every coverable term is covered or
/// `maximumSuppliers` are chosen. If no candidate covers a core term, the best match alone is
/// proposed. An achievement covers t when its own text holds t or a thesaurus relative of t (a
/// target of the links t fires: 不凉 is covered by 冷媒泄漏 through a symptom link). Greedy cover
/// is within a factor 1 + ln(core terms) of the least cover.
struct PoolProfiler {
    let market: PoolingMarket
    let space: PoolingSpace
    let thesaurus: Thesaurus?
    let configuration: PoolingConfiguration
    private let canonical: [String: String]
    /// Mean expanded TF-IDF weight of every term over each block's needs, filled on first use.
    private var blockMeans: [Int: [Int32: Float]] = [:]

    init(market: PoolingMarket, space: PoolingSpace, thesaurus: Thesaurus?, configuration: PoolingConfiguration) {
        self.market = market
        self.space = space
        self.thesaurus = thesaurus
        self.configuration = configuration
        var canonical: [String: String] = [:]
        for group in thesaurus?.synonymGroups ?? [] {
            let head = Self.normalizeName(group[0])
            for name in group { canonical[Self.normalizeName(name)] = head }
        }
        self.canonical = canonical
    }

    // MARK: - Organisations

    static func normalizeName(_ name: String) -> String {
        name.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")").filter { !$0.isWhitespace }
    }

    /// The name an organisation is compared by: brackets and spaces normalised, aliases folded.
    func organizationKey(_ name: String) -> String {
        let key = Self.normalizeName(name)
        return canonical[key] ?? key
    }

    /// Distinct enterprises among model needs; a need without an enterprise counts as its own.
    func enterpriseCount(_ needs: [Int]) -> Int {
        var names = Set<String>()
        var unnamed = 0
        for need in needs {
            if let enterprise = market.model.needs[need].enterprise, !enterprise.isEmpty {
                names.insert(organizationKey(enterprise))
            } else {
                unnamed += 1
            }
        }
        return names.count + unnamed
    }

    // MARK: - Pools

    /// The pool of the population positions `members` (market needs, sorted), without suppliers,
    /// and its core terms with their scores.
    mutating func pool(id: String, members: [Int], primaries: [Int], copies: [Int: [Int]]) -> (pool: NeedPool, core: [(column: Int32, score: Float)]) {
        let model = market.model
        let vectors = space.vectors, k = vectors.columns
        // Centroid in the pooling space and each member's distance from it.
        var centroid = [Float](repeating: 0, count: k)
        vectors.storage.withUnsafeBufferPointer { p in
            for position in members { cblas_saxpy(Int32(k), 1, p.baseAddress! + position * k, 1, &centroid, 1) }
        }
        let norm = cblas_snrm2(Int32(k), centroid, 1)
        if norm > 0 { cblas_sscal(Int32(k), 1 / norm, &centroid, 1) }
        let distances: [Double] = vectors.storage.withUnsafeBufferPointer { p in
            members.map { position in
                Self.rounded(Double(1 - cblas_sdot(Int32(k), p.baseAddress! + position * k, 1, centroid, 1)))
            }
        }
        let order = members.indices.sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : members[$0] < members[$1] }

        var memberList: [NeedPool.Member] = []
        var enterprises: [String] = []
        var seenEnterprises = Set<String>()
        var budget = 0.0, budgeted = 0
        var industryCounts = [Int](repeating: 0, count: Industry.allCases.count)
        var allNeeds: [Int] = []
        for i in order {
            let need = primaries[members[i]]
            let record = model.needs[need]
            let copyIndices = copies[need] ?? []
            memberList.append(NeedPool.Member(id: record.id, title: record.title, enterprise: record.enterprise,
                                              distance: distances[i], copies: copyIndices.map { model.needs[$0].id }))
            if let enterprise = record.enterprise, !enterprise.isEmpty, seenEnterprises.insert(organizationKey(enterprise)).inserted {
                enterprises.append(enterprise)
            }
            if let amount = record.budgetWan ?? copyIndices.lazy.compactMap({ model.needs[$0].budgetWan }).first {
                budget += amount
                budgeted += 1
            }
            for industry in record.industry { industryCounts[Industry.allCases.firstIndex(of: industry)!] += 1 }
            allNeeds += [need] + copyIndices
        }
        let industries = Industry.allCases.indices.filter { industryCounts[$0] > 0 }
            .sorted { industryCounts[$0] != industryCounts[$1] ? industryCounts[$0] > industryCounts[$1] : $0 < $1 }
            .map { Industry.allCases[$0] }

        let core = coreTerms(members: members)
        let pool = NeedPool(id: id, label: label(core: core, members: members), needs: allNeeds.sorted().map { model.needs[$0].id },
                            coreTerms: core.map { model.tfidf.vocabulary[Int($0.column)] }, members: memberList,
                            enterprises: enterprises, budgetWan: budget, budgetedMembers: budgeted, industries: industries)
        return (pool, core)
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    // MARK: - Core terms and label

    /// Core terms with their scores, strongest first.
    mutating func coreTerms(members: [Int]) -> [(column: Int32, score: Float)] {
        let vocabulary = market.model.tfidf.vocabulary
        var poolSum: [Int32: Float] = [:], support: [Int32: Int] = [:]
        for position in members {
            for (column, value) in space.queries[position].vector.lexical where value > 0 {
                poolSum[column, default: 0] += value
                support[column, default: 0] += 1
            }
        }
        let blockNumber = space.blockOf[members[0]]
        if blockMeans[blockNumber] == nil {
            let block = space.blocks[blockNumber]
            var sum: [Int32: Float] = [:]
            for position in block {
                for (column, value) in space.queries[position].vector.lexical { sum[column, default: 0] += value }
            }
            // Each column's sum is accumulated in position order, so it does not depend on hashing.
            blockMeans[blockNumber] = sum.mapValues { $0 / Float(block.count) }
        }
        let blockMean = blockMeans[blockNumber]!
        struct Scored {
            var column: Int32
            var score: Float
            var shared: Bool
        }
        var scored: [Scored] = []
        // The pool's latent centroid, to weigh each term by its affinity with the pool's topic.
        let model = market.model, k = model.lsa.rank
        var centroid = [Float](repeating: 0, count: k)
        for position in members where space.queries[position].vector.latent.count == k {
            cblas_saxpy(Int32(k), 1, space.queries[position].vector.latent, 1, &centroid, 1)
        }
        let norm = cblas_snrm2(Int32(k), centroid, 1)
        if norm > 0 { cblas_sscal(Int32(k), 1 / norm, &centroid, 1) }
        let poolSize = Float(members.count)
        model.lsa.termProjection.storage.withUnsafeBufferPointer { v in
            for (column, sum) in poolSum where Self.isTermCandidate(vocabulary[Int(column)]) {
                let contrast = sum / poolSize - blockMean[column, default: 0]
                let row = v.baseAddress! + Int(column) * k
                let length = cblas_snrm2(Int32(k), row, 1)
                let affinity = length > 0 ? cblas_sdot(Int32(k), row, 1, centroid, 1) / length : 0
                let score = contrast * max(0, affinity)
                if score > 0 { scored.append(Scored(column: column, score: score, shared: support[column]! >= 2)) }
            }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.column < $1.column }
        var core: [(column: Int32, score: Float)] = scored.filter(\.shared).prefix(configuration.coreTerms).map { ($0.column, $0.score) }
        if core.count < configuration.labelTerms {
            core += scored.filter { !$0.shared }.prefix(configuration.labelTerms - core.count).map { ($0.column, $0.score) }
        }
        return core
    }

    /// The label: core terms with a Han character that occur in a member's own text.
    func label(core: [(column: Int32, score: Float)], members: [Int]) -> String {
        let model = market.model
        var own = Set<Int32>()
        for position in members { own.formUnion(model.needSide.tfidf.row(space.population[position]).columns) }
        let terms = core.filter { own.contains($0.column) }.map { model.tfidf.vocabulary[Int($0.column)] }
            .filter { $0.unicodeScalars.contains { $0.properties.isIdeographic } }
        if !terms.isEmpty { return terms.prefix(configuration.labelTerms).joined(separator: "、") }
        // No shared Chinese term: the strongest Chinese terms of the core member's own text.
        let first = model.needSide.tfidf.row(space.population[members[0]])
        let fallback = zip(first.columns, first.values).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map { model.tfidf.vocabulary[Int($0.0)] }.filter { $0.unicodeScalars.contains { $0.properties.isIdeographic } }
        return fallback.isEmpty ? model.needs[space.population[members[0]]].title
                                : fallback.prefix(configuration.labelTerms).joined(separator: "、")
    }

    /// Terms that may be core terms: not a character-bigram feature, and at least two scalars
    /// (a single Han character is seldom a term on its own).
    static func isTermCandidate(_ term: String) -> Bool {
        !term.hasPrefix("~") && term.unicodeScalars.count >= 2
    }

    // MARK: - Suppliers

    /// Terms a pool query keeps (its heaviest), which bounds the lexical part of its ranking.
    static let supplierQueryTerms = 64

    /// The pool as one query: the mean of its members' expanded vectors in both spaces.
    func supplierQuery(members: [Int]) -> QueryVector {
        let model = market.model
        var lexical: [Int32: Float] = [:]
        var latent = [Float](repeating: 0, count: model.lsa.rank)
        var industries: UInt16 = 0
        for position in members {
            let query = space.queries[position].vector
            for (column, value) in query.lexical { lexical[column, default: 0] += value }
            if query.latent.count == latent.count { cblas_saxpy(Int32(latent.count), 1, query.latent, 1, &latent, 1) }
            industries |= query.traits.industries
        }
        let norm = cblas_snrm2(Int32(latent.count), latent, 1)
        if norm > 0 { cblas_sscal(Int32(latent.count), 1 / norm, &latent, 1) }
        let heaviest = lexical.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(Self.supplierQueryTerms).sorted { $0.key < $1.key }.map { (column: $0.key, value: $0.value) }
        let primary = space.blockIndustries[space.blockOf[members[0]]].map { UInt16(1) << UInt16(Industry.allCases.firstIndex(of: $0)!) } ?? 0
        return QueryVector(lexical: TfidfModel.normalized(heaviest), latent: latent,
                           traits: PairTraits(industries: industries, primaryIndustry: primary))
    }

    /// Adds a supplier proposal to every pool: one batch ranking of the pool queries, then a
    /// greedy cover of each pool's core terms.
    func proposeSuppliers(_ pools: inout [NeedPool], members: [[Int]], cores: [[(column: Int32, score: Float)]], threads: Int) {
        let model = market.model
        let rankings = model.ranker(.needToAchievement)
            .rank(members.map(supplierQuery), top: configuration.supplierCandidates + market.referenceAchievementCount, threads: threads)
            .map { Array($0.filter { $0.index < market.achievementCount }.prefix(configuration.supplierCandidates)) }
        // A core term is covered by an achievement whose own text holds the term or one of its
        // thesaurus relatives (the targets of the links the term alone fires).
        var relatives: [Int32: [Int32]] = [:]
        for core in cores {
            for (column, _) in core where relatives[column] == nil {
                var related: Set<Int32> = [column]
                for (link, _) in thesaurus?.links(matching: [model.tfidf.vocabulary[Int(column)]]) ?? [] {
                    for target in link.target { if let c = model.tfidf.termIndex[target] { related.insert(c) } }
                }
                relatives[column] = related.sorted()
            }
        }
        for p in pools.indices {
            let proposal = cover(core: cores[p], candidates: rankings[p], relatives: relatives)
            pools[p].suppliers = proposal.suppliers
            var institutions: [String] = []
            var seen = Set<String>()
            for supplier in proposal.suppliers {
                if let institution = supplier.institution, seen.insert(organizationKey(institution)).inserted { institutions.append(institution) }
            }
            pools[p].institutions = institutions
            pools[p].uncoveredTerms = proposal.uncovered
        }
    }

    /// Weighted greedy set cover of `core` by `candidates` (best match first).
    func cover(core: [(column: Int32, score: Float)], candidates: [ScoredIndex], relatives: [Int32: [Int32]]) -> (suppliers: [NeedPool.Supplier], uncovered: [String]) {
        let model = market.model
        guard let best = candidates.first else { return ([], core.map { model.tfidf.vocabulary[Int($0.column)] }) }
        let weight = Dictionary(uniqueKeysWithValues: core.map { ($0.column, max($0.score, 1e-6)) })
        let covers: [Set<Int32>] = candidates.map { candidate in
            let own = Set(model.achievementSide.tfidf.row(candidate.index).columns)
            return Set(core.map(\.column).filter { term in relatives[term]!.contains { own.contains($0) } })
        }
        var uncovered = Set(core.map(\.column))
        var chosen: [(candidate: ScoredIndex, covers: [Int32])] = []
        var used = Set<Int>()
        while chosen.count < configuration.maximumSuppliers && !uncovered.isEmpty {
            var pick: (position: Int, gain: Float)?
            for (position, candidate) in candidates.enumerated() where !used.contains(position) {
                var covered: Float = 0
                for term in core where uncovered.contains(term.column) && covers[position].contains(term.column) { covered += weight[term.column]! }
                let gain = max(candidate.score, 1e-6) * covered
                if gain > 0 && gain > (pick?.gain ?? 0) { pick = (position, gain) }
            }
            guard let pick else { break }
            used.insert(pick.position)
            let newly = covers[pick.position].intersection(uncovered)
            uncovered.subtract(newly)
            chosen.append((candidates[pick.position], core.map(\.column).filter { newly.contains($0) }))
        }
        if chosen.isEmpty { chosen = [(best, [])] }
        let suppliers = chosen.map { item in
            let achievement = model.achievements[item.candidate.index]
            return NeedPool.Supplier(id: achievement.id, title: achievement.title, institution: achievement.institution,
                                     score: Self.rounded(Double(item.candidate.score)),
                                     covers: item.covers.map { model.tfidf.vocabulary[Int($0)] })
        }
        return (suppliers, core.map(\.column).filter { uncovered.contains($0) }.map { model.tfidf.vocabulary[Int($0)] })
    }
}
