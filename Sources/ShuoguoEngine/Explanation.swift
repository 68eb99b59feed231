import Foundation
import ShuoguoData
import ShuoguoRanking
import ShuoguoText
import ShuoguoVectors

/// Why a need and an achievement were paired: the parts of the score and the evidence.
///
/// `score = textScore + adjustment`, `textScore = λ · lexicalCosine + (1 − λ) · latentCosine`.
/// Shared-term contributions sum to `λ · lexicalCosine`; concept contributions are the largest
/// terms of `(1 − λ) · latentCosine` over the latent dimensions.
public struct PairExplanation: Codable, Equatable, Sendable {
    public struct SharedTerm: Codable, Equatable, Sendable {
        public var term: String
        public var contribution: Float
        /// The thesaurus link that brought the term into the query, when it did.
        public var via: String?
    }

    public struct ConceptReason: Codable, Equatable, Sendable {
        public var concept: Int
        public var terms: [String]
        public var contribution: Float
    }

    public var needID: String
    public var achievementID: String
    public var direction: Direction
    public var score: Float
    public var textScore: Float
    public var lexicalCosine: Float
    public var latentCosine: Float
    public var adjustment: Float
    public var sharedTerms: [SharedTerm]
    public var concepts: [ConceptReason]
    /// Metadata that agrees (Chinese sentences).
    public var agreements: [String]
    /// Metadata that disagrees or limits the pair (Chinese sentences).
    public var conflicts: [String]
    /// The need's most weighted terms that the achievement does not mention, directly or through the thesaurus.
    public var uncoveredNeedTerms: [String]
}

extension MatchModel {
    /// Explains one pair of stored records. - Complexity: O(query terms + candidate terms + k).
    public func explain(need: Int, achievement: Int, direction: Direction = .needToAchievement,
                        thesaurus: Thesaurus?, termCount: Int = 8, conceptCount: Int = 3) -> PairExplanation {
        let queryIndex = direction == .needToAchievement ? need : achievement
        let needRow = needSide.tfidf.row(need)
        return explain(query: query(direction: direction, index: queryIndex, thesaurus: thesaurus),
                       need: needs[need], needTerms: zip(needRow.columns, needRow.values).map { ($0, $1) },
                       achievement: achievements[achievement], achievementColumns: Array(achievementSide.tfidf.row(achievement).columns),
                       candidate: direction == .needToAchievement ? achievement : need, direction: direction,
                       thesaurus: thesaurus, termCount: termCount, conceptCount: conceptCount)
    }

    /// Explains a folded-in query (a record that is not in the model) against a stored candidate.
    public func explain(foldedIn expanded: ExpandedQuery, need: Need? = nil, achievement: Achievement? = nil,
                        candidate: Int, analyzer: Analyzer, thesaurus: Thesaurus?) -> PairExplanation {
        if let need {
            let terms = TfidfModel.normalized(tfidf.weights(of: Self.terms(of: need.text, analyzer: analyzer, bigrams: configuration.characterBigrams)))
            return explain(query: expanded, need: need, needTerms: terms, achievement: achievements[candidate],
                           achievementColumns: Array(achievementSide.tfidf.row(candidate).columns), candidate: candidate,
                           direction: .needToAchievement, thesaurus: thesaurus, termCount: 8, conceptCount: 3)
        }
        precondition(achievement != nil, "give the folded-in need or achievement")
        let row = needSide.tfidf.row(candidate)
        let own = tfidf.weights(of: Self.terms(of: achievement!.text, analyzer: analyzer, bigrams: configuration.characterBigrams))
        return explain(query: expanded, need: needs[candidate], needTerms: zip(row.columns, row.values).map { ($0, $1) },
                       achievement: achievement!, achievementColumns: own.map(\.column), candidate: candidate, direction: .achievementToNeed,
                       thesaurus: thesaurus, termCount: 8, conceptCount: 3)
    }

    private func explain(query expanded: ExpandedQuery, need: Need, needTerms: [(column: Int32, value: Float)],
                         achievement: Achievement, achievementColumns: [Int32], candidate candidateIndex: Int, direction: Direction,
                         thesaurus: Thesaurus?, termCount: Int, conceptCount: Int) -> PairExplanation {
        let candidates = direction == .needToAchievement ? achievementSide : needSide
        let λ = configuration.lexicalWeight

        let candidateRow = candidates.tfidf.row(candidateIndex)
        let candidateWeights = Dictionary(uniqueKeysWithValues: zip(candidateRow.columns, candidateRow.values).map { ($0, $1) })
        var shared: [PairExplanation.SharedTerm] = []
        var lexical: Float = 0
        for (column, weight) in expanded.vector.lexical {
            guard let other = candidateWeights[column] else { continue }
            lexical += weight * other
            shared.append(.init(term: tfidf.vocabulary[Int(column)], contribution: λ * weight * other, via: expanded.addedBy[column]))
        }
        shared.sort { $0.contribution > $1.contribution || ($0.contribution == $1.contribution && $0.term < $1.term) }

        let q = expanded.vector.latent, d = candidates.latent.row(candidateIndex)
        var latent: Float = 0
        var concepts: [PairExplanation.ConceptReason] = []
        for j in 0..<min(q.count, d.count) {
            let product = q[j] * d[j]
            latent += product
            guard product > 0 else { continue }
            let terms = q[j] > 0 ? self.concepts[j].positive : self.concepts[j].negative
            concepts.append(.init(concept: j, terms: Array(terms.prefix(4)), contribution: (1 - λ) * product))
        }
        concepts.sort { $0.contribution > $1.contribution || ($0.contribution == $1.contribution && $0.concept < $1.concept) }

        let needTraits = names.traits(of: need), achievementTraits = names.traits(of: achievement)
        let adjustment = PairRules.adjustment(need: needTraits, achievement: achievementTraits, weights: configuration.adjustments)
        let (agreements, conflicts) = metadataEvidence(need: need, achievement: achievement)
        let text = λ * lexical + (1 - λ) * latent
        return PairExplanation(needID: need.id, achievementID: achievement.id, direction: direction,
                               score: text + adjustment, textScore: text, lexicalCosine: lexical, latentCosine: latent,
                               adjustment: adjustment, sharedTerms: Array(shared.prefix(termCount)),
                               concepts: Array(concepts.prefix(conceptCount)), agreements: agreements, conflicts: conflicts,
                               uncoveredNeedTerms: uncoveredTerms(needTerms: needTerms, achievementColumns: achievementColumns, thesaurus: thesaurus))
    }

    private func uncoveredTerms(needTerms: [(column: Int32, value: Float)], achievementColumns: [Int32], thesaurus: Thesaurus?, count: Int = 6) -> [String] {
        let covered = Set(achievementColumns.map { tfidf.vocabulary[Int($0)] })
        let ordered = needTerms.sorted { $0.value > $1.value || ($0.value == $1.value && $0.column < $1.column) }
        var out: [String] = []
        for (column, _) in ordered where out.count < count {
            let term = tfidf.vocabulary[Int(column)]
            if covered.contains(term) { continue }
            let relatives = thesaurus?.links(matching: [term]).flatMap(\.link.target) ?? []
            if relatives.contains(where: covered.contains) { continue }
            out.append(term)
        }
        return out
    }

    private func metadataEvidence(need: Need, achievement: Achievement) -> (agreements: [String], conflicts: [String]) {
        var agree: [String] = [], conflict: [String] = []
        let sharedIndustries = need.industry.filter(achievement.industry.contains)
        if !sharedIndustries.isEmpty {
            agree.append("同属产业：" + sharedIndustries.map(\.chineseName).joined(separator: "、"))
        } else if !need.industry.isEmpty && !achievement.industry.isEmpty {
            conflict.append("产业不同：需求属" + need.industry.map(\.chineseName).joined(separator: "、") + "，成果属" + achievement.industry.map(\.chineseName).joined(separator: "、"))
        }
        if let minimum = need.minMaturity, let maturity = achievement.maturity {
            let text = "技术成熟度 \(maturity) 级（\(Self.maturityLabels[maturity - 1])），需求至少 \(minimum) 级"
            if maturity >= minimum { agree.append(text) } else { conflict.append(text + "，尚有差距") }
        }
        if !need.expectedModes.isEmpty && !achievement.transferModes.isEmpty {
            let common = achievement.transferModes.filter(need.expectedModes.contains)
            if common.isEmpty {
                conflict.append("转化方式不合：成果拟" + achievement.transferModes.map(\.chineseLabel).joined(separator: "、") + "，企业期望" + need.expectedModes.map(\.chineseLabel).joined(separator: "、"))
            } else {
                agree.append("转化方式一致：" + common.map(\.chineseLabel).joined(separator: "、"))
            }
        }
        switch achievement.willingness {
        case .strong?: agree.append("转化意愿强烈")
        case .none?: conflict.append("成果方转化意愿为“无”")
        default: break
        }
        if let region = need.region, let other = achievement.region, NameTable.normalize(region) == NameTable.normalize(other) {
            agree.append("同在\(region)，利于本地转化")
        }
        if need.marine == true && achievement.marine == true { agree.append("同属现代海洋产业体系") }
        return (agree, conflict)
    }

    static let maturityLabels = ["正在研发", "已有样品", "通过小试", "通过中试", "可以量产"]
}

extension PairExplanation {
    /// A readable Chinese account of the pair, for brokers.
    public func chineseReport(needTitle: String, achievementTitle: String) -> String {
        func f(_ x: Float) -> String { String(format: "%.3f", x) }
        var lines: [String] = []
        lines.append("需求 \(needID)：\(needTitle)")
        lines.append("成果 \(achievementID)：\(achievementTitle)")
        lines.append("综合得分 \(f(score)) ＝ 文本相似 \(f(textScore))（词项余弦 \(f(lexicalCosine))，语义余弦 \(f(latentCosine))）＋ 元数据调整 \(f(adjustment))")
        if sharedTerms.isEmpty {
            lines.append("共有关键词：无（匹配来自语义层面）")
        } else {
            lines.append("共有关键词（贡献）：" + sharedTerms.map { term in
                term.via.map { "\(term.term)(\(f(term.contribution))，经词表扩展：\($0))" } ?? "\(term.term)(\(f(term.contribution)))"
            }.joined(separator: "、"))
        }
        if !concepts.isEmpty {
            lines.append("语义概念：" + concepts.map { "[" + $0.terms.joined(separator: "/") + "](\(f($0.contribution)))" }.joined(separator: "；"))
        }
        lines.append("相符之处：" + (agreements.isEmpty ? "无" : agreements.joined(separator: "；")))
        if !conflicts.isEmpty { lines.append("不足之处：" + conflicts.joined(separator: "；")) }
        lines.append("需求中成果未覆盖的要点：" + (uncoveredNeedTerms.isEmpty ? "无" : uncoveredNeedTerms.joined(separator: "、")))
        return lines.joined(separator: "\n")
    }
}
