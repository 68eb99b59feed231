import CLinearAlgebra
import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoVectors

/// The vectors pooling works with (see ``NeedPooling``): for every need of the population, its
/// expanded query and its pooling vector p, and the blocks of needs that share a primary industry.
struct PoolingSpace: Sendable {
    /// Model need index of every population position (market needs first).
    let population: [Int]
    /// The thesaurus-expanded query of every position.
    let queries: [ExpandedQuery]
    /// p, one unit row per position.
    let vectors: DenseMatrix
    /// Positions grouped by primary industry (FORMATS.md order, needs without an industry last).
    let blocks: [[Int]]
    /// The primary industry of every block (nil for the block without one).
    let blockIndustries: [Industry?]
    /// Block number of every position.
    let blockOf: [Int]
    /// Whether the vectors were anchored to achievements.
    let anchored: Bool

    init(model: MatchModel, population: [Int], thesaurus: Thesaurus?, configuration: PoolingConfiguration, threads: Int) {
        self.population = population
        var expanded = [ExpandedQuery?](repeating: nil, count: population.count)
        expanded.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)
            forEachBlock(count: population.count, workers: population.count >= 256 ? threads : 1) { range in
                for position in range {
                    out.base[position] = model.query(direction: .needToAchievement, index: population[position], thesaurus: thesaurus)
                }
            }
        }
        let queries = expanded.map { $0! }
        self.queries = queries

        var grouped: [Int: [Int]] = [:]
        for (position, need) in population.enumerated() {
            let key = model.needs[need].industry.first.map { Industry.allCases.firstIndex(of: $0)! } ?? Industry.allCases.count
            grouped[key, default: []].append(position)
        }
        let keys = grouped.keys.sorted()
        blocks = keys.map { grouped[$0]! }
        blockIndustries = keys.map { $0 < Industry.allCases.count ? Industry.allCases[$0] : nil }
        var blockOf = [Int](repeating: 0, count: population.count)
        for (number, block) in blocks.enumerated() { for position in block { blockOf[position] = number } }
        self.blockOf = blockOf

        let rank = model.lsa.rank
        var own = DenseMatrix(rows: population.count, columns: rank)
        for (position, query) in queries.enumerated() where query.vector.latent.count == rank {
            own.storage.replaceSubrange((position * rank)..<((position + 1) * rank), with: query.vector.latent)
        }
        guard configuration.anchors > 0, !model.achievements.isEmpty else {
            vectors = own
            anchored = false
            return
        }
        // Anchor every need to its best achievements within its primary industry.
        var weights = [[(column: Int32, value: Float)]](repeating: [], count: population.count)
        for (number, block) in blocks.enumerated() {
            var filters = MatchFilters()
            if let industry = blockIndustries[number] { filters.industries = 1 << UInt16(Industry.allCases.firstIndex(of: industry)!) }
            let ranked = model.ranker(.needToAchievement, filters: filters)
                .rank(block.map { queries[$0].vector }, top: configuration.anchors, threads: threads)
            // A need with no indexed term has no text score: metadata alone must not anchor it.
            for (i, position) in block.enumerated() where !queries[position].vector.lexical.isEmpty {
                weights[position] = ranked[i].filter { $0.score > 0 }.map { (Int32($0.index), $0.score) }
            }
        }
        var anchorRows = SparseMatrix(columns: model.achievements.count)
        for row in weights { anchorRows.appendRow(row) }
        var anchors = anchorRows.multiply(model.achievementSide.latent, threads: threads)
        anchors.normalizeRows()
        let count = Int32(anchors.storage.count)
        own.storage.withUnsafeBufferPointer { z in
            anchors.storage.withUnsafeMutableBufferPointer { p in
                cblas_saxpy(count, configuration.ownWeight, z.baseAddress, 1, p.baseAddress, 1)
            }
        }
        anchors.normalizeRows()
        vectors = anchors
        anchored = true
    }

    /// A link between two market positions, a < b, with its strength z.
    struct Link: Equatable, Sendable {
        var a: Int
        var b: Int
        var strength: Float
    }

    /// The sparse graph of the M strongest positive links of every market position
    /// (positions `0..<marketCount`), symmetrised; sorted by (a, b).
    func linkGraph(marketCount: Int, configuration: PoolingConfiguration, threads: Int) -> [Link] {
        var links: [Link] = []
        for block in blocks {
            let market = block.filter { $0 < marketCount }
            guard block.count >= 3, market.count >= 2 else { continue }
            links += blockLinks(block: block, market: market, keep: configuration.neighbours, threads: threads)
        }
        links.sort { $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b }
        var unique: [Link] = []
        for link in links where unique.last.map({ $0.a != link.a || $0.b != link.b }) ?? true { unique.append(link) }
        return unique
    }

    /// The rows of `positions` as a matrix.
    func rows(_ positions: [Int]) -> DenseMatrix {
        let k = vectors.columns
        var out = DenseMatrix(rows: positions.count, columns: k)
        for (i, position) in positions.enumerated() {
            out.storage.replaceSubrange((i * k)..<((i + 1) * k), with: vectors.storage[(position * k)..<((position + 1) * k)])
        }
        return out
    }

    /// Mean and standard deviation of every market row's cosines with the other rows of its block,
    /// from S = Σ pⱼ and C = Σ pⱼpⱼᵀ: μᵢ = (pᵢ·S − pᵢ·pᵢ)/(b − 1), E[cos²] = (pᵢᵀCpᵢ − (pᵢ·pᵢ)²)/(b − 1).
    static func statistics(block all: DenseMatrix, market: DenseMatrix) -> (mean: [Float], deviation: [Float]) {
        let b = Float(all.rows), k = all.columns
        // The force-try cannot fail: one row of b ones.
        let ones = try! DenseMatrix(rows: 1, columns: all.rows, storage: [Float](repeating: 1, count: all.rows))
        let sum = DenseMatrix.product(ones, all)                                    // 1 × k
        let second = DenseMatrix.product(all, transposed: true, all)               // k × k
        let dots = DenseMatrix.product(market, transposed: false, sum, transposed: true)              // r × 1
        let quadratic = DenseMatrix.product(market, second)                        // r × k
        var mean = [Float](repeating: 0, count: market.rows), deviation = mean
        market.storage.withUnsafeBufferPointer { m in
            quadratic.storage.withUnsafeBufferPointer { q in
                for i in 0..<market.rows {
                    let row = m.baseAddress! + i * k
                    let own = cblas_sdot(Int32(k), row, 1, row, 1)
                    let form = cblas_sdot(Int32(k), q.baseAddress! + i * k, 1, row, 1)
                    let mu = (dots.storage[i] - own) / (b - 1)
                    let square = (form - own * own) / (b - 1)
                    mean[i] = mu
                    deviation[i] = max(square - mu * mu, 1e-12).squareRoot()
                }
            }
        }
        return (mean, deviation)
    }

    private func blockLinks(block: [Int], market: [Int], keep: Int, threads: Int) -> [Link] {
        let all = rows(block), mine = rows(market)
        let (mean, deviation) = Self.statistics(block: all, market: mine)
        let r = market.count, chunk = 256
        var selected = [[ScoredIndex]](repeating: [], count: r)
        selected.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)
            let chunks = (r + chunk - 1) / chunk
            forEachBlock(count: chunks, workers: r >= 512 ? threads : 1) { range in
                for c in range {
                    let lower = c * chunk, upper = min(r, lower + chunk)
                    var part = DenseMatrix(rows: upper - lower, columns: mine.columns)
                    part.storage = Array(mine.storage[(lower * mine.columns)..<(upper * mine.columns)])
                    let cosines = DenseMatrix.product(part, transposed: false, mine, transposed: true)  // (upper − lower) × r
                    for i in lower..<upper {
                        var top = TopKSelector(capacity: keep)
                        let base = (i - lower) * r
                        for j in 0..<r where j != i {
                            let cosine = cosines.storage[base + j]
                            let z = 0.5 * ((cosine - mean[i]) / deviation[i] + (cosine - mean[j]) / deviation[j])
                            if z > 0 && z >= top.threshold { top.offer(ScoredIndex(index: j, score: z)) }
                        }
                        out.base[i] = top.sorted()
                    }
                }
            }
        }
        var links: [Link] = []
        for i in 0..<r {
            for item in selected[i] {
                let a = market[i], b = market[item.index]
                // Each direction computes the same z up to rounding; keep the one from the smaller row.
                if a < b { links.append(Link(a: a, b: b, strength: item.score)) }
            }
        }
        for i in 0..<r {
            for item in selected[i] where market[item.index] < market[i] {
                let a = market[item.index], b = market[i]
                if !selected[item.index].contains(where: { $0.index == i }) {
                    links.append(Link(a: a, b: b, strength: item.score))
                }
            }
        }
        return links
    }
}

/// Average-linkage agglomeration on a sparse graph.
///
/// The linkage of groups A and B is Σ z over the links between them divided by |A|·|B|, so a
/// pair without a link counts 0. The strongest pair of groups merges first (ties: the smaller
/// group numbers, which are the smallest node indices); merging stops when no linkage reaches
/// the threshold. A priority queue with lazy invalidation holds the candidate merges.
///
/// - Complexity: O(E log E) for E links; each merge folds one group's links into the other's,
///   O(degree) map updates.
enum AverageLinkage {
    /// Every node in exactly one cluster; clusters as sorted node lists, ordered by first node.
    static func clusters(nodeCount: Int, links: [PoolingSpace.Link], threshold: Float) -> [[Int]] {
        var neighbours = [[Int: Double]](repeating: [:], count: nodeCount)
        for link in links {
            neighbours[link.a][link.b, default: 0] += Double(link.strength)
            neighbours[link.b][link.a, default: 0] += Double(link.strength)
        }
        var size = [Int](repeating: 1, count: nodeCount)
        var stamp = [Int](repeating: 0, count: nodeCount)
        var members = (0..<nodeCount).map { [$0] }
        var active = [Bool](repeating: true, count: nodeCount)
        var queue = MergeQueue()
        for a in 0..<nodeCount {
            for (b, sum) in neighbours[a] where a < b {
                let linkage = sum / Double(size[a] * size[b])
                if linkage >= Double(threshold) { queue.push(.init(linkage: linkage, a: a, b: b, stampA: 0, stampB: 0)) }
            }
        }
        while let best = queue.pop() {
            guard active[best.a], active[best.b], stamp[best.a] == best.stampA, stamp[best.b] == best.stampB else { continue }
            // Merge into the smaller number so that a group is named by its first node.
            let keepGroup = min(best.a, best.b), gone = max(best.a, best.b)
            active[gone] = false
            size[keepGroup] += size[gone]
            members[keepGroup] += members[gone]
            members[gone] = []
            stamp[keepGroup] += 1
            var merged = neighbours[keepGroup]
            merged[gone] = nil
            for (other, sum) in neighbours[gone] where other != keepGroup {
                merged[other, default: 0] += sum
            }
            neighbours[gone] = [:]
            for other in merged.keys {
                neighbours[other][gone] = nil
                neighbours[other][keepGroup] = merged[other]
            }
            neighbours[keepGroup] = merged
            for (other, sum) in merged {
                let linkage = sum / Double(size[keepGroup] * size[other])
                if linkage >= Double(threshold) {
                    queue.push(.init(linkage: linkage, a: min(keepGroup, other), b: max(keepGroup, other),
                                     stampA: stamp[min(keepGroup, other)], stampB: stamp[max(keepGroup, other)]))
                }
            }
        }
        return (0..<nodeCount).filter { active[$0] }.map { members[$0].sorted() }
    }

    /// A candidate merge; valid while both groups still carry the stamps it was made with.
    struct Merge {
        var linkage: Double
        var a: Int
        var b: Int
        var stampA: Int
        var stampB: Int

        /// Stronger linkage first, then smaller group numbers: a total order, so the merge
        /// sequence does not depend on the order candidates were pushed in.
        func precedes(_ other: Merge) -> Bool {
            if linkage != other.linkage { return linkage > other.linkage }
            if a != other.a { return a < other.a }
            if b != other.b { return b < other.b }
            return stampA + stampB > other.stampA + other.stampB
        }
    }

    /// A binary heap of merges, first by `Merge.precedes`.
    struct MergeQueue {
        private var heap: [Merge] = []

        mutating func push(_ merge: Merge) {
            heap.append(merge)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Merge? {
            guard !heap.isEmpty else { return nil }
            heap.swapAt(0, heap.count - 1)
            let top = heap.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var first = parent
                if left < heap.count && heap[left].precedes(heap[first]) { first = left }
                if right < heap.count && heap[right].precedes(heap[first]) { first = right }
                if first == parent { break }
                heap.swapAt(parent, first)
                parent = first
            }
            return top
        }
    }
}
