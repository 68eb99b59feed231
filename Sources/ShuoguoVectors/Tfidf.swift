/// Sparse TF-IDF weighting over a fixed vocabulary.
///
/// For a term t in document d with raw count tf(t, d), over N fitted documents of which
/// df(t) contain t:
///
///     w(t, d) = (1 + ln tf(t, d)) · idf(t),    idf(t) = ln((1 + N) / (1 + df(t))) + 1
///
/// (sublinear tf, smoothed idf), and each document vector is scaled to unit L2 norm, so the
/// dot product of two vectors is their cosine. Terms seen in fewer than
/// `minimumDocumentFrequency` documents are left out of the vocabulary: a term that occurs
/// in one document can never link two documents. The vocabulary is sorted by term (Unicode
/// scalar order) so that identical input gives identical ids.
public struct TfidfModel: Equatable, Sendable {
    /// Terms, sorted; a term's position is its column id.
    public let vocabulary: [String]
    /// Inverse document frequency per column id.
    public let idf: [Float]
    /// The number of documents the model was fitted on.
    public let documentCount: Int
    public let termIndex: [String: Int32]

    /// Rebuilds a model from stored parts (a saved model file).
    public init(vocabulary: [String], idf: [Float], documentCount: Int) throws(LinearAlgebraError) {
        guard vocabulary.count == idf.count else { throw .shape("\(vocabulary.count) terms but \(idf.count) idf values") }
        var index = [String: Int32](minimumCapacity: vocabulary.count)
        for (i, term) in vocabulary.enumerated() { index[term] = Int32(i) }
        guard index.count == vocabulary.count else { throw .shape("duplicate terms in vocabulary") }
        self.vocabulary = vocabulary
        self.idf = idf
        self.documentCount = documentCount
        self.termIndex = index
    }

    /// Fits document frequencies on `documents` (each a list of terms, repeats counted).
    /// - Complexity: O(total terms) expected, plus O(V log V) to sort the vocabulary.
    public static func fit(documents: [[String]], minimumDocumentFrequency: Int = 2) -> TfidfModel {
        var firstSeen = [String: Int32]()
        var frequencies = [Int]()
        var seenIn = [Int32]()  // last document that counted the term, to count each document once
        for (d, terms) in documents.enumerated() {
            for term in terms {
                let id: Int32
                if let known = firstSeen[term] { id = known } else {
                    id = Int32(frequencies.count)
                    firstSeen[term] = id
                    frequencies.append(0)
                    seenIn.append(-1)
                }
                if seenIn[Int(id)] != Int32(d) {
                    seenIn[Int(id)] = Int32(d)
                    frequencies[Int(id)] += 1
                }
            }
        }
        let kept = firstSeen.filter { frequencies[Int($0.value)] >= minimumDocumentFrequency }
            .sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        let n = Float(documents.count)
        let idf = kept.map { Float.log((1 + n) / (1 + Float(frequencies[Int($0.value)]))) + 1 }
        // The force-try cannot fail: terms are unique keys and the arrays have one entry each.
        return try! TfidfModel(vocabulary: kept.map(\.key), idf: idf, documentCount: documents.count)
    }

    /// Unnormalised weights `(1 + ln tf) · idf` of the in-vocabulary terms, sorted by column.
    public func weights<S: Sequence>(of terms: S) -> [(column: Int32, value: Float)] where S.Element == String {
        var counts = [Int32: Int]()
        for term in terms { if let id = termIndex[term] { counts[id, default: 0] += 1 } }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, (1 + Float.log(Float($0.value))) * idf[Int($0.key)]) }
    }

    /// The unit-length TF-IDF vector of one document, sorted by column.
    public func vector<S: Sequence>(of terms: S) -> [(column: Int32, value: Float)] where S.Element == String {
        TfidfModel.normalized(weights(of: terms))
    }

    /// One row per document. - Complexity: O(total terms).
    public func matrix(documents: [[String]]) -> SparseMatrix {
        var m = SparseMatrix(columns: vocabulary.count)
        for terms in documents { m.appendRow(vector(of: terms)) }
        return m
    }

    /// Scales sparse entries to unit L2 norm (all-zero input stays empty).
    public static func normalized(_ entries: [(column: Int32, value: Float)]) -> [(column: Int32, value: Float)] {
        let norm = entries.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
        guard norm > 0 else { return [] }
        return entries.map { ($0.column, $0.value / norm) }
    }
}

extension Float {
    static func log(_ x: Float) -> Float { Float(Foundation_log(Double(x))) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func Foundation_log(_ x: Double) -> Double { Glibc.log(x) }
#else
import Darwin
@inline(__always) private func Foundation_log(_ x: Double) -> Double { Darwin.log(x) }
#endif
