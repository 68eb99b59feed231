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
    ///
    /// Terms are counted through a `TermTable` keyed by UTF-8 bytes; each new byte sequence is
    /// mapped once through a `String` dictionary, so terms are told apart by `String` equality
    /// (canonical equivalence) as everywhere else, while the per-occurrence cost is a byte hash.
    /// - Complexity: O(total term bytes) expected, plus O(V log V) to sort the vocabulary.
    public static func fit(documents: [[String]], minimumDocumentFrequency: Int = 2) -> TfidfModel {
        var table = TermTable(expectedCount: 1 << 15)
        var canonical = [String: Int32]()
        var names = [String]()
        var frequencies = [Int]()
        var seenIn = [Int32]()  // last document that counted the term, to count each document once
        for (d, terms) in documents.enumerated() {
            let document = Int32(d)
            for term in terms {
                let id = Int(term.withUTF8Bytes { bytes in
                    if let known = table.value(for: bytes) { return known }
                    let id: Int32
                    if let equal = canonical[term] {
                        id = equal
                    } else {
                        id = Int32(names.count)
                        canonical[term] = id
                        names.append(term)
                        frequencies.append(0)
                        seenIn.append(-1)
                    }
                    table.insert(bytes, value: id)
                    return id
                })
                if seenIn[id] != document {
                    seenIn[id] = document
                    frequencies[id] += 1
                }
            }
        }
        let kept = names.indices.filter { frequencies[$0] >= minimumDocumentFrequency }
            .sorted { names[$0].unicodeScalars.lexicographicallyPrecedes(names[$1].unicodeScalars) }
        let n = Float(documents.count)
        let idf = kept.map { Float.log((1 + n) / (1 + Float(frequencies[$0]))) + 1 }
        // The force-try cannot fail: terms are distinct strings and the arrays have one entry each.
        return try! TfidfModel(vocabulary: kept.map { names[$0] }, idf: idf, documentCount: documents.count)
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

    /// One row per document: the rows `vector(of:)` gives, built without per-document
    /// dictionaries. Terms are looked up by their UTF-8 bytes in a table of the vocabulary (a miss
    /// falls back to `termIndex`, so a differently encoded but equal string still counts); each
    /// row's column ids are sorted, counted in runs, weighted and normalised in column order,
    /// exactly as `vector(of:)` does. Documents are split into contiguous blocks over `threads`
    /// workers and the blocks joined in order, so the matrix does not depend on the thread count.
    /// - Complexity: O(total term bytes + Σ t log t) for documents of t terms.
    public func matrix(documents: [[String]], threads: Int = 1) -> SparseMatrix {
        var table = TermTable(expectedCount: vocabulary.count)
        for (column, term) in vocabulary.enumerated() {
            term.withUTF8Bytes { bytes in
                if table.value(for: bytes) == nil { table.insert(bytes, value: Int32(column)) }
            }
        }
        let lookup = table
        let parts = documents.count >= 1024 ? max(1, threads) : 1
        var pieces = [(lengths: [Int], columns: [Int32], values: [Float])](repeating: ([], [], []), count: parts)
        pieces.withUnsafeMutableBufferPointer { buffer in
            let output = SharedPointer(buffer.baseAddress!)
            forEachBlock(count: parts, workers: parts) { range in
                for part in range {
                    let lower = documents.count * part / parts, upper = documents.count * (part + 1) / parts
                    output.base[part] = rows(documents[lower..<upper], table: lookup)
                }
            }
        }
        var rowStarts = [0]
        rowStarts.reserveCapacity(documents.count + 1)
        var columnIndices: [Int32] = [], values: [Float] = []
        columnIndices.reserveCapacity(pieces.reduce(0) { $0 + $1.columns.count })
        values.reserveCapacity(columnIndices.capacity)
        for piece in pieces {
            for length in piece.lengths { rowStarts.append(rowStarts[rowStarts.count - 1] + length) }
            columnIndices.append(contentsOf: piece.columns)
            values.append(contentsOf: piece.values)
        }
        return SparseMatrix(trustedRowStarts: rowStarts, columnIndices: columnIndices, values: values, columns: vocabulary.count)
    }

    /// The CSR pieces (row lengths, columns, values) of consecutive documents.
    private func rows(_ documents: ArraySlice<[String]>, table: TermTable) -> (lengths: [Int], columns: [Int32], values: [Float]) {
        var lengths: [Int] = [], columns: [Int32] = [], values: [Float] = []
        lengths.reserveCapacity(documents.count)
        var ids: [Int32] = []
        var weights: [Float] = []
        for terms in documents {
            ids.removeAll(keepingCapacity: true)
            for term in terms {
                if let column = term.withUTF8Bytes({ table.value(for: $0) }) ?? termIndex[term] { ids.append(column) }
            }
            ids.sort()
            // Runs of equal ids are term counts; weights and the norm follow `weights(of:)` and
            // `normalized(_:)` term for term, in ascending column order.
            weights.removeAll(keepingCapacity: true)
            let first = columns.count
            var norm: Float = 0
            var i = 0
            while i < ids.count {
                var j = i + 1
                while j < ids.count && ids[j] == ids[i] { j += 1 }
                let weight = (1 + Float.log(Float(j - i))) * idf[Int(ids[i])]
                norm = norm + weight * weight
                columns.append(ids[i])
                weights.append(weight)
                i = j
            }
            norm = norm.squareRoot()
            if norm > 0 {
                var kept = first
                for (offset, weight) in weights.enumerated() {
                    let value = weight / norm
                    guard value != 0 else { continue }  // as `SparseMatrix.appendRow` drops zeros
                    columns[kept] = columns[first + offset]
                    values.append(value)
                    kept += 1
                }
                columns.removeSubrange(kept...)
            } else {
                columns.removeSubrange(first...)
            }
            lengths.append(columns.count - first)
        }
        return (lengths, columns, values)
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
