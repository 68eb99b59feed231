import Foundation
import ShuoguoData
import ShuoguoRanking
import ShuoguoText
import ShuoguoVectors

/// A query vector with the provenance of the terms the thesaurus added.
public struct ExpandedQuery: Sendable {
    public var vector: QueryVector
    /// Column → the thesaurus link that added it ("起皮 → 附着力").
    public var addedBy: [Int32: String]
}

extension MatchModel {
    // MARK: - Query vectors

    /// The query vector of a stored record: its TF-IDF row, expanded, and re-projected.
    public func query(direction: Direction, index: Int, thesaurus: Thesaurus?) -> ExpandedQuery {
        let side = direction == .needToAchievement ? needSide : achievementSide
        let row = side.tfidf.row(index)
        let entries = zip(row.columns, row.values).map { (column: $0, value: $1) }
        return query(entries: entries, traits: side.traits[index], thesaurus: thesaurus)
    }

    /// The query vector of a record that is not in the model (fold-in: no refit).
    public func foldIn(need: Need, analyzer: Analyzer, thesaurus: Thesaurus?) -> ExpandedQuery {
        query(entries: TfidfModel.normalized(tfidf.weights(of: Self.terms(of: need.text, analyzer: analyzer, bigrams: configuration.characterBigrams))), traits: names.traits(of: need), thesaurus: thesaurus)
    }

    public func foldIn(achievement: Achievement, analyzer: Analyzer, thesaurus: Thesaurus?) -> ExpandedQuery {
        query(entries: TfidfModel.normalized(tfidf.weights(of: Self.terms(of: achievement.text, analyzer: analyzer, bigrams: configuration.characterBigrams))), traits: names.traits(of: achievement), thesaurus: thesaurus)
    }

    /// Thesaurus expansion (see `Thesaurus`): each link whose source terms all occur adds its
    /// target terms at `weight(kind) · min source weight`; a term keeps the larger of its own and
    /// any added weight; the vector is re-normalised, then projected into the LSA space.
    func query(entries: [(column: Int32, value: Float)], traits: PairTraits, thesaurus: Thesaurus?) -> ExpandedQuery {
        var weights = [Int32: Float](uniqueKeysWithValues: entries.map { ($0.column, $0.value) })
        var addedBy: [Int32: String] = [:]
        if configuration.expandQueries, let thesaurus, !entries.isEmpty {
            let present = Dictionary(uniqueKeysWithValues: entries.map { (tfidf.vocabulary[Int($0.column)], $0.value) })
            for (link, coverage) in thesaurus.links(matching: Set(present.keys)) {
                let weight = configuration.expansion(link.kind) * Float(coverage) * link.source.compactMap { present[$0] }.min()!
                for term in link.target {
                    guard let column = tfidf.termIndex[term], weight > (weights[column] ?? 0) else { continue }
                    weights[column] = weight
                    if present[term] == nil { addedBy[column] = "\(link.sourcePhrase)→\(link.targetPhrase)" }
                }
            }
        }
        let lexical = TfidfModel.normalized(weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        return ExpandedQuery(vector: QueryVector(lexical: lexical, latent: lsa.project(lexical), traits: traits), addedBy: addedBy)
    }

    // MARK: - Ranking

    public func ranker(_ direction: Direction, filters: MatchFilters = .init()) -> HybridRanker {
        HybridRanker(candidates: direction == .needToAchievement ? achievementSide : needSide,
                     lexicalWeight: configuration.lexicalWeight, adjustments: configuration.adjustments, filters: filters)
    }

    /// Ranks candidates for the stored records at `queries` (all of that side when nil).
    public func rank(_ direction: Direction, queries: [Int]? = nil, top k: Int, filters: MatchFilters = .init(),
                     thesaurus: Thesaurus?, threads: Int = 1, progress: (@Sendable (Int) -> Void)? = nil) -> [[ScoredIndex]] {
        let count = direction == .needToAchievement ? needs.count : achievements.count
        let vectors = (queries ?? Array(0..<count)).map { query(direction: direction, index: $0, thesaurus: thesaurus).vector }
        return ranker(direction, filters: filters).rank(vectors, top: k, threads: threads, progress: progress)
    }

    /// Region and organisation ids for filters given by name (−1 when the model never saw it).
    public func regionID(_ name: String) -> Int32 { names.regionID(name) }
}
