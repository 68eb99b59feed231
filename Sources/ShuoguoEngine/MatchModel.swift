import Foundation
import ShuoguoData
import ShuoguoRanking
import ShuoguoText
import ShuoguoVectors

/// A fitted matching model: the records of both sides, the TF-IDF vocabulary, the LSA space,
/// each side's vectors and packed metadata, and the names of the latent concepts.
public struct MatchModel: Sendable {
    /// The settings the model was built with; the query-time ones (λ, expansion, adjustments)
    /// may be changed on a loaded model.
    public var configuration: EngineConfiguration
    public let achievements: [Achievement]
    public let needs: [Need]
    public let tfidf: TfidfModel
    public let lsa: LatentSemanticModel
    public let achievementSide: CandidateSet
    public let needSide: CandidateSet
    /// For each latent concept, its top terms at the positive and at the negative pole.
    public let concepts: [Concept]
    /// How many background documents joined the fit.
    public let backgroundDocuments: Int
    let names: NameTable

    public struct Concept: Codable, Equatable, Sendable {
        public var positive: [String]
        public var negative: [String]
    }

    public var achievementIndex: [String: Int] { Dictionary(uniqueKeysWithValues: achievements.enumerated().map { ($1.id, $0) }) }
    public var needIndex: [String: Int] { Dictionary(uniqueKeysWithValues: needs.enumerated().map { ($1.id, $0) }) }

    // MARK: - Building

    /// Fits a model. `background` documents (texts) shape idf and the latent space only.
    /// - Complexity: tokenization O(text), TF-IDF O(terms), LSA as `LatentSemanticModel.fit`.
    public static func build(achievements: [Achievement], needs: [Need], background: [String] = [],
                             resources: Resources, configuration: EngineConfiguration = .init(),
                             threads: Int = 1, progress: (String) -> Void = { _ in }) throws -> MatchModel {
        guard !achievements.isEmpty || !needs.isEmpty else { throw EngineError.invalidInput("no achievements and no needs to index") }
        let texts = achievements.map(\.text) + needs.map(\.text) + background
        progress("tokenizing \(texts.count) documents")
        let terms = tokenize(texts, analyzer: resources.analyzer, threads: threads, bigrams: configuration.characterBigrams)
        progress("weighting terms")
        let tfidf = TfidfModel.fit(documents: terms, minimumDocumentFrequency: configuration.minimumDocumentFrequency)
        guard !tfidf.vocabulary.isEmpty else { throw EngineError.invalidInput("no term occurs in two documents: nothing to match on") }
        let matrix = tfidf.matrix(documents: terms, threads: threads)
        var parameters = configuration.lsa
        parameters.rank = configuration.effectiveRank(documents: texts.count)
        progress("fitting LSA (k = \(parameters.rank)) on \(matrix.rows) × \(matrix.columns), \(matrix.nonZeroCount) non-zeros")
        let lsa = try LatentSemanticModel.fit(matrix, parameters: parameters, threads: threads)
        let achievementRows = tfidf.matrix(documents: Array(terms[0..<achievements.count]), threads: threads)
        let needRows = tfidf.matrix(documents: Array(terms[achievements.count..<(achievements.count + needs.count)]), threads: threads)
        progress("projecting documents")
        return MatchModel(configuration: configuration, achievements: achievements, needs: needs, tfidf: tfidf, lsa: lsa,
                          achievementRows: achievementRows, achievementLatent: lsa.project(achievementRows, threads: threads),
                          needRows: needRows, needLatent: lsa.project(needRows, threads: threads),
                          concepts: nameConcepts(lsa, vocabulary: tfidf.vocabulary),
                          backgroundDocuments: background.count, aliases: resources.thesaurus.synonymGroups)
    }

    init(configuration: EngineConfiguration, achievements: [Achievement], needs: [Need], tfidf: TfidfModel, lsa: LatentSemanticModel,
         achievementRows: SparseMatrix, achievementLatent: DenseMatrix, needRows: SparseMatrix, needLatent: DenseMatrix,
         concepts: [Concept], backgroundDocuments: Int, aliases: [[String]]) {
        self.configuration = configuration
        self.achievements = achievements
        self.needs = needs
        self.tfidf = tfidf
        self.lsa = lsa
        self.concepts = concepts
        self.backgroundDocuments = backgroundDocuments
        let names = NameTable(aliasGroups: aliases, achievements: achievements, needs: needs)
        self.names = names
        self.achievementSide = CandidateSet(tfidf: achievementRows, latent: achievementLatent,
                                            traits: achievements.map(names.traits(of:)), areNeeds: false)
        self.needSide = CandidateSet(tfidf: needRows, latent: needLatent, traits: needs.map(names.traits(of:)), areNeeds: true)
    }

    /// Segments texts in parallel; the output order is the input order.
    static func tokenize(_ texts: [String], analyzer: Analyzer, threads: Int, bigrams: Bool) -> [[String]] {
        var out = [[String]](repeating: [], count: texts.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let target = SharedPointer(buffer.baseAddress!)
            forEachBlock(count: texts.count, workers: texts.count > 256 ? threads : 1) { range in
                for i in range { target.base[i] = terms(of: texts[i], analyzer: analyzer, bigrams: bigrams) }
            }
        }
        return out
    }

    /// The indexing terms of a text: the analyzer's terms, plus, when `bigrams` is on, the
    /// character bigrams inside every CJK word of three or more characters (marked with a
    /// leading "~" so they never collide with words), which bridge segmentation differences.
    static func terms(of text: String, analyzer: Analyzer, bigrams: Bool) -> [String] {
        let words = analyzer.terms(text)
        guard bigrams else { return words }
        var out = words
        for word in words {
            let scalars = Array(word.unicodeScalars)
            guard scalars.count >= 3, scalars.allSatisfy({ $0.properties.isIdeographic }) else { continue }
            for i in 0..<(scalars.count - 1) {
                var bigram = "~"
                bigram.unicodeScalars.append(scalars[i])
                bigram.unicodeScalars.append(scalars[i + 1])
                out.append(bigram)
            }
        }
        return out
    }

    /// The top terms of each latent concept, at both poles. - Complexity: O(k · V log 5).
    static func nameConcepts(_ lsa: LatentSemanticModel, vocabulary: [String], count: Int = 5) -> [Concept] {
        let v = lsa.termProjection
        return (0..<lsa.rank).map { column in
            var positive = TopKSelector(capacity: count), negative = TopKSelector(capacity: count)
            for row in 0..<v.rows {
                positive.offer(ScoredIndex(index: row, score: v[row, column]))
                negative.offer(ScoredIndex(index: row, score: -v[row, column]))
            }
            return Concept(positive: positive.sorted().map { vocabulary[$0.index] },
                           negative: negative.sorted().map { vocabulary[$0.index] })
        }
    }
}

/// Interned region and organisation names, so that the ranking loop compares integers.
/// Organisation names are folded through the thesaurus's synonym groups (entity aliases) and
/// lightly normalised (full-width brackets, spaces), so 中科院青能所 and its full name are one body.
struct NameTable: Sendable {
    let aliasGroups: [[String]]
    private(set) var regions: [String: Int32] = [:]
    private(set) var organizations: [String: Int32] = [:]
    private var canonical: [String: String] = [:]

    init(aliasGroups: [[String]], achievements: [Achievement], needs: [Need]) {
        self.aliasGroups = aliasGroups
        for group in aliasGroups {
            let head = Self.normalize(group[0])
            for name in group { canonical[Self.normalize(name)] = head }
        }
        for a in achievements {
            _ = intern(region: a.region)
            _ = intern(organization: a.institution)
        }
        for n in needs {
            _ = intern(region: n.region)
            _ = intern(organization: n.enterprise)
        }
    }

    static func normalize(_ name: String) -> String {
        name.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            .filter { !$0.isWhitespace }
    }

    func canonicalOrganization(_ name: String) -> String {
        let n = Self.normalize(name)
        return canonical[n] ?? n
    }

    private mutating func intern(region: String?) -> Int32 {
        guard let region, !region.isEmpty else { return 0 }
        let key = Self.normalize(region)
        if let id = regions[key] { return id }
        let id = Int32(regions.count + 1)
        regions[key] = id
        return id
    }

    private mutating func intern(organization: String?) -> Int32 {
        guard let organization, !organization.isEmpty else { return 0 }
        let key = canonicalOrganization(organization)
        if let id = organizations[key] { return id }
        let id = Int32(organizations.count + 1)
        organizations[key] = id
        return id
    }

    func regionID(_ region: String?) -> Int32 { region.flatMap { regions[Self.normalize($0)] } ?? (region == nil ? 0 : -1) }
    func organizationID(_ name: String?) -> Int32 { name.flatMap { organizations[canonicalOrganization($0)] } ?? (name == nil ? 0 : -1) }

    func traits(of a: Achievement) -> PairTraits {
        PairTraits(industries: industryBits(a.industry), primaryIndustry: industryBits(Array(a.industry.prefix(1))),
                   maturity: Int8(a.maturity ?? 0), modes: modeBits(a.transferModes),
                   willingness: { switch a.willingness { case .none?: return 1; case .normal?: return 2; case .strong?: return 3; case nil: return 0 } }(),
                   marine: a.marine.map { $0 ? 1 : -1 } ?? 0, region: regionID(a.region), organization: organizationID(a.institution))
    }

    func traits(of n: Need) -> PairTraits {
        PairTraits(industries: industryBits(n.industry), primaryIndustry: industryBits(Array(n.industry.prefix(1))),
                   maturity: Int8(n.minMaturity ?? 0), modes: modeBits(n.expectedModes), willingness: 0,
                   marine: n.marine.map { $0 ? 1 : -1 } ?? 0, region: regionID(n.region), organization: organizationID(n.enterprise))
    }
}

func industryBits(_ industries: [Industry]) -> UInt16 {
    industries.reduce(0) { $0 | (1 << UInt16(Industry.allCases.firstIndex(of: $1)!)) }
}

func modeBits(_ modes: [TransferMode]) -> UInt8 {
    modes.reduce(0) { $0 | (1 << UInt8(TransferMode.allCases.firstIndex(of: $1)!)) }
}
