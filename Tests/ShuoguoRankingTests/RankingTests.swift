import Testing
@testable import ShuoguoRanking
import ShuoguoVectors

@Suite struct TopKTests {
    @Test func equalsStableSortPrefix() {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<200 {
            let n = Int(rng.next() % 300)
            let k = Int(rng.next() % 20)
            let scores = (0..<n).map { _ in Float(rng.next() % 7) / 2 }  // many ties
            var selector = TopKSelector(capacity: k)
            for (i, s) in scores.enumerated() { selector.offer(ScoredIndex(index: i, score: s)) }
            let expected = scores.enumerated().map { ScoredIndex(index: $0.offset, score: $0.element) }
                .sorted(by: ScoredIndex.ranksBefore).prefix(k)
            #expect(selector.sorted() == Array(expected), "trial \(trial)")
        }
    }
}

@Suite struct HybridRankerTests {
    /// Candidates with random unit vectors, plus brute-force scoring to compare with.
    struct Fixture {
        var candidates: CandidateSet
        var queries: [QueryVector]
    }

    static func fixture(seed: UInt64, candidates n: Int = 400, terms: Int = 60, rank: Int = 8) -> Fixture {
        var rng = SplitMix64(seed: seed)
        var tfidf = SparseMatrix(columns: terms)
        func sparseRow() -> [(column: Int32, value: Float)] {
            var row: [(column: Int32, value: Float)] = []
            for t in 0..<terms where rng.next() % 8 == 0 { row.append((Int32(t), Float(rng.next() % 100 + 1))) }
            return TfidfModel.normalized(row)
        }
        for _ in 0..<n { tfidf.appendRow(sparseRow()) }
        var latent = DenseMatrix(rows: n, columns: rank)
        for i in 0..<(n * rank) { latent.storage[i] = Float(Int(rng.next() % 200) - 100) }
        latent.normalizeRows()
        var traits: [PairTraits] = []
        for i in 0..<n {
            let industry = UInt16(1) << UInt16(i % 11)
            let mode = UInt8(1) << UInt8(i % 6)
            traits.append(PairTraits(industries: industry, primaryIndustry: industry, maturity: Int8(1 + i % 5), modes: mode,
                                     willingness: Int8(i % 4), marine: 0, region: Int32(i % 3), organization: Int32(i % 50)))
        }
        let set = CandidateSet(tfidf: tfidf, latent: latent, traits: traits, areNeeds: false)
        var queries: [QueryVector] = []
        for q in 0..<25 {
            var v = DenseMatrix(rows: 1, columns: rank)
            for i in 0..<rank { v.storage[i] = Float(Int(rng.next() % 200) - 100) }
            v.normalizeRows()
            let industry = UInt16(1) << UInt16(q % 11)
            let traits = PairTraits(industries: industry, primaryIndustry: industry, maturity: 4, modes: 0b11, region: 1, organization: Int32(q))
            queries.append(QueryVector(lexical: sparseRow(), latent: v.storage, traits: traits))
        }
        return Fixture(candidates: set, queries: queries)
    }

    static func bruteForce(_ ranker: HybridRanker, _ q: QueryVector, top k: Int) -> [ScoredIndex] {
        let c = ranker.candidates
        var all: [ScoredIndex] = []
        for d in 0..<c.count {
            guard PairRules.passesCandidateFilters(c.traits[d], filters: ranker.filters),
                  PairRules.isEligible(need: q.traits, achievement: c.traits[d], filters: ranker.filters) else { continue }
            let row = c.tfidf.row(d)
            let weights = Dictionary(uniqueKeysWithValues: zip(row.columns, row.values).map { ($0, $1) })
            let lexical = q.lexical.reduce(Float(0)) { $0 + $1.value * (weights[$1.column] ?? 0) }
            let latent = zip(q.latent, c.latent.row(d)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            let text = ranker.lexicalWeight * lexical + (1 - ranker.lexicalWeight) * latent
            all.append(ScoredIndex(index: d, score: text + PairRules.adjustment(need: q.traits, achievement: c.traits[d], weights: ranker.adjustments)))
        }
        return Array(all.sorted(by: ScoredIndex.ranksBefore).prefix(k))
    }

    static func sameRanking(_ a: [ScoredIndex], _ b: [ScoredIndex]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.index == $1.index && abs($0.score - $1.score) < 1e-4 }
    }

    @Test func singleAndBatchedRankingEqualBruteForce() {
        let f = Self.fixture(seed: 5)
        let ranker = HybridRanker(candidates: f.candidates, lexicalWeight: 0.4)
        let batched = ranker.rank(f.queries, top: 10, threads: 2, blockSize: 7)
        for (q, query) in f.queries.enumerated() {
            let expected = Self.bruteForce(ranker, query, top: 10)
            #expect(Self.sameRanking(ranker.rank(query, top: 10), expected))
            #expect(Self.sameRanking(batched[q], expected))
        }
    }

    @Test func largeAdjustmentsBeyondThePoolStayExact() {
        let f = Self.fixture(seed: 6)
        var adjustments = MetadataAdjustments()
        adjustments.sharedIndustryBonus = 3  // dwarfs every text score: industry decides
        let ranker = HybridRanker(candidates: f.candidates, lexicalWeight: 0.3, adjustments: adjustments)
        for query in f.queries {
            let ranked = ranker.rank(query, top: 5)
            #expect(Self.sameRanking(ranked, Self.bruteForce(ranker, query, top: 5)))
            #expect(ranked.allSatisfy { f.candidates.traits[$0.index].industries & query.traits.industries != 0 })
        }
    }

    @Test func filtersAndSameOrganisationAreHonoured() {
        let f = Self.fixture(seed: 8)
        var filters = MatchFilters()
        filters.excludeUnwilling = true
        filters.minimumMaturity = 3
        filters.region = 2
        let ranker = HybridRanker(candidates: f.candidates, filters: filters)
        for query in f.queries {
            let ranked = ranker.rank(query, top: 20)
            #expect(!ranked.isEmpty)
            for item in ranked {
                let t = f.candidates.traits[item.index]
                #expect(t.willingness != PairTraits.willingnessNone && t.maturity >= 3 && t.region == 2)
                #expect(t.organization != query.traits.organization)
            }
            #expect(Self.sameRanking(ranked, Self.bruteForce(ranker, query, top: 20)))
        }
    }
}
