import CLinearAlgebra
import ShuoguoVectors

/// The candidates of one ranking direction: their TF-IDF rows, the same rows inverted
/// (term → documents), unit latent vectors, and packed metadata.
public struct CandidateSet: Sendable {
    public let tfidf: SparseMatrix
    public let postings: SparseMatrix
    public let latent: DenseMatrix
    public let traits: [PairTraits]
    /// True when the candidates are needs (achievement → need), false for achievements.
    public let areNeeds: Bool
    /// The latent vectors once more, transposed: concepts × candidates, row-major. One query's
    /// latent cosines are `sgemv` on this layout (y = Σⱼ qⱼ · row j), which OpenBLAS streams
    /// at memory speed; on `latent` itself (one dot product per candidate) its kernel reached
    /// about half of that: 13.2 against 7.1 ms for 100,000 × 256 on one core.
    let latentByConcept: [Float]

    public init(tfidf: SparseMatrix, latent: DenseMatrix, traits: [PairTraits], areNeeds: Bool) {
        precondition(tfidf.rows == latent.rows && latent.rows == traits.count, "candidate parts differ in length")
        self.tfidf = tfidf
        self.postings = tfidf.transposed()
        self.latent = latent
        self.latentByConcept = Self.transpose(latent)
        self.traits = traits
        self.areNeeds = areNeeds
    }

    /// The storage of `matrix` transposed, copied in 32 × 32 tiles so that reads and writes
    /// both stay within a few cache lines. - Complexity: O(rows × columns).
    static func transpose(_ matrix: DenseMatrix) -> [Float] {
        let rows = matrix.rows, columns = matrix.columns, tile = 32
        var out = [Float](repeating: 0, count: rows * columns)
        matrix.storage.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for rowBase in stride(from: 0, to: rows, by: tile) {
                    for columnBase in stride(from: 0, to: columns, by: tile) {
                        for r in rowBase..<min(rows, rowBase + tile) {
                            for c in columnBase..<min(columns, columnBase + tile) {
                                target[c * rows + r] = source[r * columns + c]
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    public var count: Int { traits.count }
}

/// A query: its unit TF-IDF vector (possibly thesaurus-expanded), unit latent vector, metadata.
public struct QueryVector: Sendable {
    public var lexical: [(column: Int32, value: Float)]
    public var latent: [Float]
    public var traits: PairTraits

    public init(lexical: [(column: Int32, value: Float)], latent: [Float], traits: PairTraits) {
        self.lexical = lexical
        self.latent = latent
        self.traits = traits
    }
}

/// Hybrid ranking of candidates for queries.
///
/// The text score of a pair is a convex mix of the two cosines,
///
///     text(q, d) = λ · cos_tfidf(q, d) + (1 − λ) · cos_lsa(q, d),      λ = `lexicalWeight`
///
/// and the final score adds the metadata adjustments of `PairRules.adjustment`. Pairs that fail
/// the hard filters, and same-organisation pairs, are never ranked. The latent cosines of all
/// candidates come from one `sgemv` (one query, on the transposed copy of the latent vectors)
/// or `sgemm` (a block of queries); the lexical
/// cosines are accumulated over the posting lists of the query's terms only.
///
/// Selection is exact: the best `4k + 32` by text score are kept by partial selection, then
/// adjusted; when the adjustments could lift a candidate outside that set above the k-th
/// result, every eligible candidate is adjusted instead.
///
/// - Complexity: per query O(n·r + Σ posting lengths + n log k) for n candidates and rank r.
public struct HybridRanker: Sendable {
    public var candidates: CandidateSet
    public var lexicalWeight: Float
    public var adjustments: MetadataAdjustments
    public var filters: MatchFilters

    public init(candidates: CandidateSet, lexicalWeight: Float = 0.5,
                adjustments: MetadataAdjustments = .init(), filters: MatchFilters = .init()) {
        precondition((0...1).contains(lexicalWeight), "lexical weight must be within 0...1")
        self.candidates = candidates
        self.lexicalWeight = lexicalWeight
        self.adjustments = adjustments
        self.filters = filters
    }

    /// The text score of every candidate for one query (no metadata). - Complexity: O(n·r + postings).
    public func textScores(for query: QueryVector) -> [Float] {
        var scores = [Float](repeating: 0, count: candidates.count)
        let latent = candidates.latent
        if latent.columns > 0, latent.columns == query.latent.count, candidates.count > 0 {
            candidates.latentByConcept.withUnsafeBufferPointer { matrix in
                query.latent.withUnsafeBufferPointer { vector in
                    scores.withUnsafeMutableBufferPointer { out in
                        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(latent.columns), Int32(latent.rows),
                                    1 - lexicalWeight, matrix.baseAddress, Int32(latent.rows),
                                    vector.baseAddress, 1, 0, out.baseAddress, 1)
                    }
                }
            }
        }
        scores.withUnsafeMutableBufferPointer { addLexical(query, into: $0.baseAddress!) }
        return scores
    }

    /// The best `k` candidates for one query, best first.
    public func rank(_ query: QueryVector, top k: Int) -> [ScoredIndex] {
        let scores = textScores(for: query)
        return scores.withUnsafeBufferPointer { select(query, scores: $0, top: k) }
    }

    /// The best `k` candidates for each query, computed in blocks of queries: one `sgemm` per
    /// block for the latent cosines, then lexical accumulation and selection per query.
    /// Blocks are spread over `threads` workers (set BLAS to one thread when `threads` > 1).
    public func rank(_ queries: [QueryVector], top k: Int, threads: Int = 1, blockSize: Int = 128,
                     progress: (@Sendable (Int) -> Void)? = nil) -> [[ScoredIndex]] {
        let n = candidates.count, r = candidates.latent.columns
        var results = [[ScoredIndex]](repeating: [], count: queries.count)
        guard !queries.isEmpty else { return results }
        let blocks = (queries.count + blockSize - 1) / blockSize
        results.withUnsafeMutableBufferPointer { resultBuffer in
            let output = SharedPointer(resultBuffer.baseAddress!)
            forEachBlock(count: blocks, workers: threads) { blockRange in
                var scores = [Float](repeating: 0, count: min(blockSize, queries.count) * n)
                var block = [Float](repeating: 0, count: min(blockSize, queries.count) * r)
                for b in blockRange {
                    let lower = b * blockSize, upper = min(queries.count, lower + blockSize)
                    let rows = upper - lower
                    for (i, q) in queries[lower..<upper].enumerated() {
                        precondition(q.latent.count == r, "query rank differs from the model's")
                        block.replaceSubrange((i * r)..<((i + 1) * r), with: q.latent)
                    }
                    scores.withUnsafeMutableBufferPointer { out in
                        block.withUnsafeBufferPointer { qs in
                            candidates.latent.storage.withUnsafeBufferPointer { docs in
                                if r > 0 && n > 0 {
                                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(r),
                                                1 - lexicalWeight, qs.baseAddress, Int32(r), docs.baseAddress, Int32(r),
                                                0, out.baseAddress, Int32(n))
                                }
                            }
                        }
                        for i in 0..<rows {
                            let row = out.baseAddress! + i * n
                            addLexical(queries[lower + i], into: row)
                            output.base[lower + i] = select(queries[lower + i], scores: UnsafeBufferPointer(start: row, count: n), top: k)
                        }
                    }
                    progress?(rows)
                }
            }
        }
        return results
    }

    // MARK: - Internals

    private func addLexical(_ query: QueryVector, into scores: UnsafeMutablePointer<Float>) {
        guard lexicalWeight > 0 else { return }
        let postings = candidates.postings
        postings.rowStarts.withUnsafeBufferPointer { starts in
            postings.columnIndices.withUnsafeBufferPointer { docs in
                postings.values.withUnsafeBufferPointer { weights in
                    for (term, weight) in query.lexical where Int(term) < postings.rows {
                        let w = lexicalWeight * weight
                        for i in starts[Int(term)]..<starts[Int(term) + 1] {
                            scores[Int(docs[i])] += w * weights[i]
                        }
                    }
                }
            }
        }
    }

    private func traitsPair(_ query: QueryVector, _ candidate: Int) -> (need: PairTraits, achievement: PairTraits) {
        candidates.areNeeds ? (candidates.traits[candidate], query.traits) : (query.traits, candidates.traits[candidate])
    }

    @inline(__always)
    private func isEligible(_ query: QueryVector, _ candidate: Int) -> Bool {
        let traits = candidates.traits[candidate]
        guard PairRules.passesCandidateFilters(traits, filters: filters) else { return false }
        let pair = traitsPair(query, candidate)
        return PairRules.isEligible(need: pair.need, achievement: pair.achievement, filters: filters)
    }

    private func finalScore(_ query: QueryVector, _ candidate: Int, text: Float) -> Float {
        let pair = traitsPair(query, candidate)
        return text + PairRules.adjustment(need: pair.need, achievement: pair.achievement, weights: adjustments)
    }

    /// Exact top-k by final score. Two passes over the text scores keep the bar to beat in a
    /// local (`threshold`), so the common case, a score below the bar, costs one comparison and
    /// never touches the heap or the candidate's metadata; the bar is re-read only after an
    /// item entered. - Complexity: O(n + m log p) for n candidates, m heap entries, pool p.
    private func select(_ query: QueryVector, scores: UnsafeBufferPointer<Float>, top k: Int) -> [ScoredIndex] {
        guard k > 0 else { return [] }
        var byText = TopKSelector(capacity: 4 * k + 32)
        // An item enters while the pool is not full (any score that is not NaN), then only
        // when it beats the worst kept score.
        var threshold = -Float.infinity
        var full = false
        for i in 0..<scores.count {
            let score = scores[i]
            guard score > threshold || (score == threshold && !full) else { continue }
            guard isEligible(query, i) else { continue }
            byText.offer(ScoredIndex(index: i, score: score))
            threshold = byText.threshold
            full = byText.isFull
        }
        let pool = byText.sorted()
        var final = TopKSelector(capacity: k)
        for item in pool {
            final.offer(ScoredIndex(index: item.index, score: finalScore(query, item.index, text: item.score)))
        }
        let kept = final.sorted()
        let bounds = adjustments.bounds
        guard byText.isFull, kept.count == k, kept[k - 1].score < byText.threshold + bounds.upper else { return kept }
        // Adjustments might lift a candidate outside the pool into the top k. The pool's own best
        // k are already final (the rest of the pool lost to them), so they seed the result and
        // its bar; then every other eligible candidate whose text score plus the largest bonus
        // reaches the bar is adjusted and offered.
        var exact = TopKSelector(capacity: k)
        for item in kept { exact.offer(item) }
        let pooled = Set(pool.map(\.index))
        var bar = exact.threshold
        for i in 0..<scores.count where scores[i] + bounds.upper >= bar {
            guard !pooled.contains(i), isEligible(query, i) else { continue }
            exact.offer(ScoredIndex(index: i, score: finalScore(query, i, text: scores[i])))
            bar = exact.threshold
        }
        return exact.sorted()
    }
}
