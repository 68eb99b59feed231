import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoText
import ShuoguoVectors

/// The settings of the router. Defaults were chosen on the development set by 5-fold
/// cross-validation grouped by topic (`RoutingEvaluation`, `shuoguo route --evaluate`), one
/// setting at a time on a small grid; within ±0.01 of the best, the simpler value was kept.
public struct RoutingParameters: Sendable, Equatable {
    /// K, the number of labelled neighbours that vote (5, 10 and 20 were within 0.004).
    public var neighbours = 10
    /// λ of the neighbour similarity `λ · cos_tfidf + (1 − λ) · cos_lsa` (the engine's text score).
    public var lexicalWeight: Float = 0.5
    /// A neighbour votes with weight `max(0, similarity)^power`.
    public var neighbourPower: Float = 2
    /// The vote a neighbour gives each of its non-primary industries (its primary gets 1).
    public var secondaryLabelWeight: Float = 0.5
    /// ε of the keyword distribution `(e_c + ε) / (Σ e + 11 ε)`: the evidence needed to count.
    public var keywordPrior: Float = 0.2
    /// Share of the neighbour vote in the mixture; the keyword distribution has the rest.
    /// (Shares 0.1–0.4 and a third, centroid, distribution were tried: keywords carry the
    /// most, a little neighbour vote helps, centroids did not.)
    public var neighbourShare: Double = 0.1
    /// Weights of industry names and aliases, and of thesaurus terms, in `KeywordEvidence`.
    public var nameWeight: Float = 2
    public var thesaurusWeight: Float = 1
    /// Whether phrase distributions are estimated from the examples, and their smoothing α.
    public var learnKeywords = true
    public var keywordSmoothing: Float = 4
    /// Calibration of the confidence from the margin m = p(primary) − p(runner-up):
    /// `confidence = 1 / (1 + exp(−(a + b·m)))`, fitted by logistic regression of "the primary is
    /// the labelled one" on m over the topic-grouped cross-validation of the development set
    /// (`RoutingEvaluation.calibration`; `shuoguo route --evaluate` prints a fresh fit).
    public var calibrationIntercept: Double = -0.325
    public var calibrationSlope: Double = 8.866
    /// A record whose confidence is below this goes to the unclear queue: the lowest value at
    /// which the routed records of the topic-grouped cross-validation reach 90% primary accuracy.
    public var unclearBelow: Double = 0.68
    /// A further industry is reported when its probability is at least this.
    public var secondaryAtLeast: Double = 0.2
    /// A 细分赛道 is reported when its confidence is at least this.
    public var trackAtLeast: Double = 0.5
    /// Mixture of the marine probability: neighbours' marine labels and the marker evidence.
    public var marineNeighbourShare: Double = 0.6
    /// Markers h give the marker evidence `1 − exp(−h / marineMarkerScale)`.
    public var marineMarkerScale: Double = 2
    /// The engine settings of the space the router works in (TF-IDF, LSA).
    public var engine: EngineConfiguration = {
        var c = EngineConfiguration()
        c.useBackground = false
        return c
    }()

    public init() {}
}

/// One industry with its probability.
public struct IndustryScore: Sendable, Equatable {
    public var industry: Industry
    public var probability: Double
}

/// One 细分赛道 with its confidence.
public struct TrackScore: Sendable, Equatable {
    public var industry: Industry
    public var track: String
    public var confidence: Double
}

/// Where a record belongs in the 10+1 system and the 现代海洋产业体系.
public struct RouteDecision: Sendable, Equatable {
    /// Primary first; empty when `unclear`.
    public var industries: [Industry]
    /// The probability of every industry, FORMATS.md order.
    public var probabilities: [Double]
    /// How likely the primary industry (the best guess, when unclear) is right: the calibrated
    /// margin of its probability over the runner-up's (`RoutingParameters.calibrationSlope`).
    public var confidence: Double
    /// The three most probable industries, most probable first.
    public var candidates: [IndustryScore]
    /// True when the confidence is below the threshold: a broker should decide.
    public var unclear: Bool
    public var marine: Bool
    /// The probability of the marine decision taken (`p` when marine, `1 − p` otherwise).
    public var marineConfidence: Double
    /// The marine sector with the most markers, when marine.
    public var marineSector: String?
    public var tracks: [TrackScore]
    /// Taxonomy or thesaurus phrases found for the primary (best-guess) industry.
    public var keywords: [String]
    /// The nearest labelled records (ids), nearest first.
    public var neighbours: [String]
}

/// Routing by 10+1: a classifier over the engine's text space and the taxonomy's vocabulary,
/// trained on labelled records.
///
/// **Space.** A `MatchModel` is fitted on the examples' texts (TF-IDF with sublinear tf and
/// smoothed idf, LSA by randomized SVD, the engine's defaults). A record to route is segmented
/// once, weighted by the model's TF-IDF and projected into the LSA space (fold-in: no refit).
/// Thesaurus expansion of the record, as the engine expands queries, was tried and left out:
/// it changed cross-validated accuracy by less than 0.005 and cost a third of the routing
/// time. The thesaurus enters through the keyword evidence instead.
///
/// **Two distributions over the 11 industries.**
///
/// * keywords: `KeywordEvidence` e_c (taxonomy and thesaurus phrases, each phrase's industry
///   distribution re-estimated from the examples), p_kw(c) = (e_c + ε) / (Σ e + 11ε), ε = 0.2;
/// * neighbours: the K = 10 most similar examples by the engine's text score
///   `λ cos_tfidf + (1 − λ) cos_lsa` (λ = 0.5), p_nn(c) ∝ Σ_j max(0, s_j)² · y_j(c), where
///   y_j(c) = 1 for example j's primary industry and β = 0.5 for its others.
///
/// **Probability and confidence.** p = 0.9 p_kw + 0.1 p_nn (p_kw alone when no neighbour is
/// similar at all). The primary industry is argmax p (ties: FORMATS.md order). The confidence
/// is the calibrated margin over the runner-up,
///
///     confidence = 1 / (1 + exp(−(a + b · (p_1 − p_2)))),      a = −0.325, b = 8.866,
///
/// fitted on the topic-grouped cross-validation (an estimate of the chance that the primary is
/// the labelled one; the margin separated right from wrong better than p_1 alone). Other
/// industries with p ≥ 0.2 follow the primary. When the confidence is below **0.68** the record
/// is *unclear*: `industries` is empty and the three candidates are kept for a broker. 0.68 is
/// the lowest threshold on a 0.01 grid at which the routed records of the topic-grouped
/// cross-validation reach 90% primary accuracy (`RoutingEvaluation.threshold`).
///
/// **Marine.** p_m = 0.6 · (similarity-weighted share of marine among the neighbours whose tag
/// is known; 0.5 when none is) + 0.4 · (1 − exp(−h / 2)) for h distinct marine markers;
/// marine when p_m ≥ 0.5.
///
/// **Tracks.** For each routed industry c, track t scores
/// `s_t = keyword evidence of t + Σ_{neighbours labelled (c, t)} w_j / Σ_j w_j`, and its confidence is
/// `s_t / (Σ_t' s_t' + 1)`; the best track is reported when the confidence is ≥ 0.5.
///
/// A record whose text equals an example's is routed as if that example were not there (it is
/// left out of the neighbours), so routing the development set itself does not read its own
/// labels through its neighbours. (The keyword distributions were still estimated with it; the
/// honest measure is `RoutingEvaluation`, which never routes a record its model learned from.)
///
/// Output is deterministic for a given model and input, whatever the thread count.
/// - Complexity: fitting as `MatchModel.build` on the examples plus one segmentation of them;
///   routing n records O(n · (text + r · m + postings)) for m examples and rank r, the latent
///   part as one `sgemm` per block of records.
public struct RoutingModel: Sendable {
    public let parameters: RoutingParameters
    public let examples: [RoutingExample]
    public let taxonomy: Taxonomy
    let space: MatchModel
    let analyzer: Analyzer
    let evidence: KeywordEvidence
    /// Example index of the model's achievement rows, then of its need rows.
    let rowExample: [Int]
    /// Label weights y_j(c), one row per model row (achievements, then needs), 11 columns.
    let labels: DenseMatrix
    /// Per model row, the track index of its primary industry (−1 when unknown).
    let rowTrack: [Int]
    /// Model rows by text, and the most rows any one text has (identical examples).
    let rowsByText: [String: [Int]]
    let mostCopies: Int
    /// All examples as one candidate set (achievement rows, then need rows), with neutral
    /// metadata so that no adjustment or filter of the engine applies.
    let neighbourSet: CandidateSet

    /// Fits the router on labelled examples.
    /// - Throws: `RoutingError.noExamples` when there are none; engine errors from the fit.
    public static func fit(examples: [RoutingExample], resources: Resources, taxonomy: Taxonomy,
                           parameters: RoutingParameters = .init(), threads: Int = 1) throws -> RoutingModel {
        let usable = examples.filter { !$0.industries.isEmpty }
        guard !usable.isEmpty else { throw RoutingError.noExamples }
        var achievements: [Achievement] = [], needs: [Need] = []
        var achievementRows: [Int] = [], needRows: [Int] = []
        for (i, example) in examples.enumerated() where !example.industries.isEmpty {
            switch example.record {
            case .achievement(let a):
                achievements.append(a)
                achievementRows.append(i)
            case .need(let n):
                needs.append(n)
                needRows.append(i)
            }
        }
        let space = try MatchModel.build(achievements: achievements, needs: needs, background: [], resources: resources,
                                         configuration: parameters.engine, threads: threads)
        let rowExample = achievementRows + needRows
        let classes = Industry.allCases.count
        var labels = DenseMatrix(rows: rowExample.count, columns: classes)
        var rowTrack: [Int] = []
        var rowsByText: [String: [Int]] = [:]
        for (row, e) in rowExample.enumerated() {
            let example = examples[e]
            for (position, industry) in example.industries.enumerated() {
                labels[row, Industry.allCases.firstIndex(of: industry)!] = position == 0 ? 1 : parameters.secondaryLabelWeight
            }
            rowTrack.append(example.track.flatMap { trackIndex($0, of: example.industries[0], in: taxonomy) } ?? -1)
            rowsByText[example.record.text, default: []].append(row)
        }
        var tfidfRows = SparseMatrix(columns: space.tfidf.vocabulary.count)
        for side in [space.achievementSide, space.needSide] {
            for row in 0..<side.tfidf.rows {
                let entries = side.tfidf.row(row)
                tfidfRows.appendRow(zip(entries.columns, entries.values).map { ($0, $1) })
            }
        }
        let latentRows = try DenseMatrix(rows: rowExample.count, columns: space.lsa.rank,
                                         storage: space.achievementSide.latent.storage + space.needSide.latent.storage)
        let neighbourSet = CandidateSet(tfidf: tfidfRows, latent: latentRows,
                                        traits: [PairTraits](repeating: PairTraits(), count: rowExample.count), areNeeds: false)
        var evidence = KeywordEvidence(taxonomy: taxonomy, analyzer: resources.analyzer,
                                       thesaurusDirectory: resources.corpusDirectory.appendingPathComponent("thesaurus"),
                                       nameWeight: parameters.nameWeight, thesaurusWeight: parameters.thesaurusWeight,
                                       smoothing: parameters.keywordSmoothing)
        if parameters.learnKeywords {
            var texts = [[String]](repeating: [], count: rowExample.count)
            texts.withUnsafeMutableBufferPointer { buffer in
                let target = SharedPointer(buffer.baseAddress!)
                forEachBlock(count: rowExample.count, workers: threads) { range in
                    for row in range { target.base[row] = resources.analyzer.terms(examples[rowExample[row]].record.text) }
                }
            }
            evidence = evidence.learned(from: texts, labels: (0..<rowExample.count).map { labels.row($0) })
        }
        return RoutingModel(parameters: parameters, examples: examples, taxonomy: taxonomy, space: space,
                            analyzer: resources.analyzer, evidence: evidence,
                            rowExample: rowExample, labels: labels,
                            rowTrack: rowTrack, rowsByText: rowsByText, mostCopies: rowsByText.values.map(\.count).max() ?? 0,
                            neighbourSet: neighbourSet)
    }

    /// The taxonomy track a label names: by name or alias, else the track whose name starts the label.
    static func trackIndex(_ label: String, of industry: Industry, in taxonomy: Taxonomy) -> Int? {
        let tracks = taxonomy.entry(industry).tracks
        return tracks.firstIndex { $0.name == label || $0.aliases.contains(label) }
            ?? tracks.firstIndex { label.hasPrefix($0.name) || $0.name.hasPrefix(label) }
    }

    /// Routes records, in input order.
    /// - Parameters:
    ///   - threads: workers for segmentation and neighbour search (BLAS should run single-threaded).
    ///   - blockSize: records processed together (bounds memory: about 2 KB per record).
    public func route(_ records: [MarketRecord], threads: Int = 1, blockSize: Int = 8192) -> [RouteDecision] {
        var out: [RouteDecision] = []
        out.reserveCapacity(records.count)
        var start = 0
        while start < records.count {
            let end = min(records.count, start + blockSize)
            out += routeBlock(Array(records[start..<end]), threads: threads)
            start = end
        }
        return out
    }

    private func routeBlock(_ records: [MarketRecord], threads: Int) -> [RouteDecision] {
        let n = records.count
        var terms = [[String]](repeating: [], count: n)
        var evidenceScores = [KeywordEvidence.Scores?](repeating: nil, count: n)
        terms.withUnsafeMutableBufferPointer { termBuffer in
            evidenceScores.withUnsafeMutableBufferPointer { scoreBuffer in
                let termTarget = SharedPointer(termBuffer.baseAddress!), scoreTarget = SharedPointer(scoreBuffer.baseAddress!)
                forEachBlock(count: n, workers: n >= 64 ? threads : 1) { range in
                    for i in range {
                        let t = analyzer.terms(records[i].text)
                        scoreTarget.base[i] = evidence.scores(terms: t)
                        termTarget.base[i] = t
                    }
                }
            }
        }
        let rows = space.tfidf.matrix(documents: terms, threads: threads)
        let latent = space.lsa.project(rows, threads: threads)
        let r = latent.columns
        let queries = (0..<n).map { i in
            let row = rows.row(i)
            return QueryVector(lexical: zip(row.columns, row.values).map { ($0, $1) },
                               latent: Array(latent.storage[(i * r)..<((i + 1) * r)]), traits: PairTraits())
        }
        let hitsPerQuery = HybridRanker(candidates: neighbourSet, lexicalWeight: parameters.lexicalWeight, adjustments: .none)
            .rank(queries, top: parameters.neighbours + mostCopies, threads: threads)
        return (0..<n).map { i in
            var hits = hitsPerQuery[i].map { (row: $0.index, score: $0.score) }
            if let excluded = rowsByText[records[i].text] { hits.removeAll { excluded.contains($0.row) } }
            return decide(hits: Array(hits.prefix(parameters.neighbours)), evidence: evidenceScores[i]!)
        }
    }

    private func decide(hits: [(row: Int, score: Float)], evidence: KeywordEvidence.Scores) -> RouteDecision {
        let classes = Industry.allCases.count
        let p = parameters
        // Neighbour vote.
        var vote = [Double](repeating: 0, count: classes)
        var weights: [Double] = []
        for hit in hits {
            let w = Double(pow(max(0, hit.score), p.neighbourPower))
            weights.append(w)
            for c in 0..<classes { vote[c] += w * Double(labels[hit.row, c]) }
        }
        let voteTotal = vote.reduce(0, +)
        // Keyword distribution, mixed with the vote.
        let prior = Double(p.keywordPrior)
        let evidenceTotal = evidence.industries.reduce(0) { $0 + Double($1) }
        let neighbourShare = voteTotal > 0 ? p.neighbourShare : 0
        let probability = (0..<classes).map { c in
            (1 - neighbourShare) * (Double(evidence.industries[c]) + prior) / (evidenceTotal + Double(classes) * prior)
                + (voteTotal > 0 ? neighbourShare * vote[c] / voteTotal : 0)
        }
        let order = (0..<classes).sorted { probability[$0] > probability[$1] || (probability[$0] == probability[$1] && $0 < $1) }
        let primary = order[0]
        let margin = probability[primary] - probability[order[1]]
        let confidence = 1 / (1 + Foundation.exp(-(p.calibrationIntercept + p.calibrationSlope * margin)))
        let unclear = confidence < p.unclearBelow
        var industries: [Industry] = []
        if !unclear {
            industries = [Industry.allCases[primary]] + order.dropFirst().filter { probability[$0] >= p.secondaryAtLeast }.map { Industry.allCases[$0] }
        }
        // Marine.
        var marineVote = 0.0, marineKnown = 0.0
        for (hit, w) in zip(hits, weights) {
            guard let marine = examples[rowExample[hit.row]].marine else { continue }
            marineKnown += w
            if marine { marineVote += w }
        }
        let neighbourMarine = marineKnown > 0 ? marineVote / marineKnown : 0.5
        let markerMarine = 1 - Foundation.exp(-Double(evidence.marineMarkers) / p.marineMarkerScale)
        let marineProbability = p.marineNeighbourShare * neighbourMarine + (1 - p.marineNeighbourShare) * markerMarine
        let marine = marineProbability >= 0.5
        var sector: String?
        if marine, let best = evidence.sectors.indices.max(by: { evidence.sectors[$0] < evidence.sectors[$1] || (evidence.sectors[$0] == evidence.sectors[$1] && $0 > $1) }),
           evidence.sectors[best] > 0 {
            sector = taxonomy.marine.sectors[best].name
        }
        // Tracks of the routed industries.
        let weightTotal = weights.reduce(0, +)
        var tracks: [TrackScore] = []
        for industry in industries {
            let c = Industry.allCases.firstIndex(of: industry)!
            var scores = evidence.tracks[c].map(Double.init)
            guard !scores.isEmpty else { continue }
            if weightTotal > 0 {
                for (hit, w) in zip(hits, weights) where rowTrack[hit.row] >= 0 && labels[hit.row, c] == 1 {
                    scores[rowTrack[hit.row]] += w / weightTotal
                }
            }
            let total = scores.reduce(0, +)
            guard let best = scores.indices.max(by: { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }) else { continue }
            let trackConfidence = scores[best] / (total + 1)
            if trackConfidence >= p.trackAtLeast {
                tracks.append(TrackScore(industry: industry, track: taxonomy.entry(industry).tracks[best].name, confidence: trackConfidence))
            }
        }
        return RouteDecision(
            industries: industries, probabilities: probability, confidence: confidence,
            candidates: order.prefix(3).map { IndustryScore(industry: Industry.allCases[$0], probability: probability[$0]) },
            unclear: unclear, marine: marine, marineConfidence: marine ? marineProbability : 1 - marineProbability,
            marineSector: sector, tracks: tracks, keywords: Array(evidence.hits[primary].prefix(5)),
            neighbours: hits.prefix(3).map { examples[rowExample[$0.row]].record.id })
    }
}

extension RoutingModel {
    /// Needs with an empty `industry` get the router's industries — its best guess alone when
    /// the record is unclear — so that services that work within an industry (pooling blocks
    /// needs by their primary) do not lump every unlabelled need together. Needs that state an
    /// industry are returned unchanged. Returns the needs in input order and how many were filled.
    public func fillingMissingIndustries(_ needs: [Need], threads: Int = 1) -> (needs: [Need], filled: Int) {
        let missing = needs.indices.filter { needs[$0].industry.isEmpty }
        guard !missing.isEmpty else { return (needs, 0) }
        var out = needs
        let decisions = route(missing.map { .need(needs[$0]) }, threads: threads)
        for (i, decision) in zip(missing, decisions) {
            out[i].industry = decision.unclear ? [decision.candidates[0].industry] : decision.industries
        }
        return (out, missing.count)
    }
}
