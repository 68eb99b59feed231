import ShuoguoRanking
import ShuoguoVectors

/// Every setting that shapes a model and its rankings; stored inside the model file so that
/// a loaded model ranks exactly as it did when it was built.
///
/// Defaults were chosen on the bundled development set (README, "Choosing the defaults").
public struct EngineConfiguration: Codable, Equatable, Sendable {
    /// Terms in fewer documents are dropped from the vocabulary (they cannot link two documents).
    public var minimumDocumentFrequency = 2
    /// Randomized SVD parameters; the rank is capped by the corpus size (k ≤ documents / 2).
    public var lsa = LatentSemanticModel.Parameters(rank: 256, oversampling: 10, powerIterations: 2, seed: 20241216)
    /// λ in `λ · cos_tfidf + (1 − λ) · cos_lsa`.
    public var lexicalWeight: Float = 0.5
    /// Whether queries are expanded with the thesaurus, and with what weights.
    public var expandQueries = true
    public var expansion = Thesaurus.Weights()
    public var adjustments = MetadataAdjustments()
    /// When the supplied documents are fewer than this, the bundled development corpus joins
    /// the fit as background (it shapes idf and the latent space but is never ranked).
    public var backgroundBelow = 3000
    public var useBackground = true
    /// Also index the character bigrams inside long CJK words (see `MatchModel.terms(of:)`).
    public var characterBigrams = false

    public init() {}

    /// The LSA rank actually used for a fit on `documents` documents.
    public func effectiveRank(documents: Int) -> Int {
        max(1, min(lsa.rank, documents / 2))
    }
}

/// The direction of a ranking: which side asks, which side is ranked.
public enum Direction: String, Codable, Sendable, CaseIterable {
    case needToAchievement = "need-to-achievement"
    case achievementToNeed = "achievement-to-need"
}
