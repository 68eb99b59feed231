/// Latent semantic analysis: a rank-k truncated SVD of the TF-IDF matrix, computed by the
/// randomized range finder of Halko, Martinsson and Tropp (2011).
///
/// For the documents × terms matrix A (m × n), with l = k + p columns (p = oversampling):
///
/// 1. Ω ← n × l standard normal (seeded SplitMix64 + Box–Muller);
/// 2. Q ← orth(A Ω)                                    (sparse × dense, then Cholesky QR);
/// 3. q times: Z ← orth(Aᵀ Q), Q ← orth(A Z)           (power iterations sharpen the spectrum);
/// 4. Bᵀ ← Aᵀ Q (n × l), Bᵀ = W Σ Yᵀ by `sgesdd`, so A ≈ Q Y Σ Wᵀ;
/// 5. V ← the first k columns of W, each column's sign fixed so that its entry of largest
///    magnitude is positive (ties: the lowest row).
///
/// A document's latent vector is its TF-IDF row times V, scaled to unit length; the same
/// formula folds in documents that were not in the fit, so no refit is needed. Every dense
/// step runs in BLAS/LAPACK; the sparse products are row-parallel and deterministic.
///
/// - Complexity: O((q + 1) · nnz(A) · l + (q + 1) · (m + n) · l²) time, O((m + n) · l) memory.
public struct LatentSemanticModel: Equatable, Sendable {
    /// Singular values σ₁ ≥ … ≥ σ_k.
    public let singularValues: [Float]
    /// V: one row per term, one column per latent concept.
    public let termProjection: DenseMatrix

    public var rank: Int { singularValues.count }

    public init(singularValues: [Float], termProjection: DenseMatrix) throws(LinearAlgebraError) {
        guard termProjection.columns == singularValues.count else {
            throw .shape("\(singularValues.count) singular values for \(termProjection.columns) concepts")
        }
        self.singularValues = singularValues
        self.termProjection = termProjection
    }

    /// Parameters of the randomized SVD; defaults: k = 256, p = 10, q = 2, seed 20241216.
    public struct Parameters: Equatable, Sendable, Codable {
        public var rank: Int
        public var oversampling: Int
        public var powerIterations: Int
        public var seed: UInt64

        public init(rank: Int = 256, oversampling: Int = 10, powerIterations: Int = 2, seed: UInt64 = 20241216) {
            precondition(rank > 0 && oversampling >= 0 && powerIterations >= 0, "invalid LSA parameters")
            self.rank = rank
            self.oversampling = oversampling
            self.powerIterations = powerIterations
            self.seed = seed
        }
    }

    /// Fits the model on `matrix` (documents × terms).
    public static func fit(_ matrix: SparseMatrix, parameters: Parameters = .init(), threads: Int = 1) throws(LinearAlgebraError) -> LatentSemanticModel {
        let m = matrix.rows, n = matrix.columns
        let l = min(parameters.rank + parameters.oversampling, m, n)
        guard l > 0 else { throw .shape("cannot fit LSA on a \(m)×\(n) matrix") }
        let k = min(parameters.rank, l)
        let transpose = matrix.transposed()

        var generator = SplitMix64(seed: parameters.seed)
        var omega = DenseMatrix(rows: n, columns: l)
        generator.fillStandardNormal(&omega.storage)

        var q = matrix.multiply(omega, threads: threads)
        try q.orthonormalizeColumns()
        for _ in 0..<parameters.powerIterations {
            var z = transpose.multiply(q, threads: threads)
            try z.orthonormalizeColumns()
            q = matrix.multiply(z, threads: threads)
            try q.orthonormalizeColumns()
        }
        let bt = transpose.multiply(q, threads: threads)  // n × l
        let (w, sigma, _) = try bt.singularValueDecomposition()
        var v = w.leadingColumns(k)
        for column in 0..<k {
            var best = 0
            var bestMagnitude: Float = -1
            for row in 0..<n where abs(v[row, column]) > bestMagnitude {
                bestMagnitude = abs(v[row, column])
                best = row
            }
            if v[best, column] < 0 {
                for row in 0..<n { v[row, column] = -v[row, column] }
            }
        }
        return try LatentSemanticModel(singularValues: Array(sigma.prefix(k)), termProjection: v)
    }

    /// Unit-length latent vectors of the rows of `matrix` (TF-IDF rows over the same vocabulary).
    /// - Complexity: O(nnz · k).
    public func project(_ matrix: SparseMatrix, threads: Int = 1) -> DenseMatrix {
        var out = matrix.multiply(termProjection, threads: threads)
        out.normalizeRows()
        return out
    }

    /// The unit-length latent vector of one sparse row.
    public func project(_ entries: [(column: Int32, value: Float)]) -> [Float] {
        var single = SparseMatrix(columns: termProjection.rows)
        single.appendRow(entries)
        return project(single).storage
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, seedable generator whose sequence is
/// the same on every platform, which keeps fitted models byte-identical across runs.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in the open interval (0, 1), from the top 53 bits.
    mutating func nextUnitInterval() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Fills `values` with standard normal samples by the Box–Muller transform.
    mutating func fillStandardNormal(_ values: inout [Float]) {
        var i = 0
        while i < values.count {
            let radius = (-2 * _log(nextUnitInterval())).squareRoot()
            let angle = 2 * Double.pi * nextUnitInterval()
            values[i] = Float(radius * _cos(angle))
            if i + 1 < values.count { values[i + 1] = Float(radius * _sin(angle)) }
            i += 2
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
#endif
