import CLinearAlgebra
#if canImport(Glibc)
import Glibc
#endif

/// Errors raised by the dense kernels. LAPACK reports failures through `info`; they are
/// surfaced here with the routine name so a caller can say what went wrong.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    case lapack(routine: String, info: Int32)
    case shape(String)

    public var description: String {
        switch self {
        case .lapack(let routine, let info): return "LAPACK \(routine) failed (info = \(info))"
        case .shape(let message): return "matrix shape: \(message)"
        }
    }
}

/// Control of the BLAS library's own threads.
///
/// OpenBLAS starts as many threads as cores; on a shared 2-core machine that oversubscribes
/// the CPU when the caller also runs work in parallel, and a single LAPACK call can become
/// several times slower. shuoguo therefore sets the count explicitly. The setter is looked
/// up at run time so that the reference BLAS (which has no threads) also works.
public enum BLASThreads {
    private typealias Setter = @convention(c) (Int32) -> Void
    private typealias Getter = @convention(c) () -> Int32

    /// Sets the number of threads the BLAS library may use. No effect without OpenBLAS.
    public static func set(_ count: Int) {
        guard let symbol = dlsym(nil, "openblas_set_num_threads") else { return }
        unsafeBitCast(symbol, to: Setter.self)(Int32(max(1, count)))
    }

    /// The number of threads the BLAS library uses, or nil when it is not OpenBLAS.
    public static var current: Int? {
        guard let symbol = dlsym(nil, "openblas_get_num_threads") else { return nil }
        return Int(unsafeBitCast(symbol, to: Getter.self)())
    }
}

/// A dense, row-major matrix of `Float`.
///
/// Row-major storage matches how documents are laid out (one row per document) and lets
/// BLAS read rows contiguously. All products go through `cblas_sgemm`/`cblas_sgemv`.
public struct DenseMatrix: Equatable, Sendable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var storage: [Float]

    /// A zero matrix. - Complexity: O(rows × columns).
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: 0, count: rows * columns)
    }

    /// Wraps existing row-major values; `storage.count` must equal `rows × columns`.
    public init(rows: Int, columns: Int, storage: [Float]) throws(LinearAlgebraError) {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw .shape("\(storage.count) values for \(rows)×\(columns)")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The row as an array copy.
    public func row(_ index: Int) -> [Float] {
        Array(storage[(index * columns)..<((index + 1) * columns)])
    }

    /// `C = op(A) · op(B)` by `cblas_sgemm`.
    /// - Complexity: O(m · n · k) floating-point operations.
    public static func product(_ a: DenseMatrix, transposed transposeA: Bool = false,
                               _ b: DenseMatrix, transposed transposeB: Bool = false) -> DenseMatrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "inner dimensions differ: \(k) vs \(kb)")
        var c = DenseMatrix(rows: m, columns: n)
        guard m > 0, n > 0, k > 0 else { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                                transposeB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1,
                                pa.baseAddress, Int32(a.columns), pb.baseAddress, Int32(b.columns),
                                0, pc.baseAddress, Int32(n))
                }
            }
        }
        return c
    }

    /// Replaces the matrix (m × n, m ≥ n) by an orthonormal basis of its column space: the Q
    /// of a thin QR factorisation A = QR.
    ///
    /// Two passes of Cholesky QR ("CholeskyQR2"): G = AᵀA (`ssyrk`), G = RᵀR (`spotrf`),
    /// A ← A R⁻¹ (`strsm`), twice; the second pass removes the loss of orthogonality of the
    /// first (about κ(A)² · ε). Every step is a BLAS-3 call on the row-major storage as it is,
    /// about half the time of Householder QR through LAPACKE, whose row-major interface copies
    /// the whole matrix into column-major order and back for each of its two calls. When a
    /// pass meets a Gram matrix that is not safely positive definite — a Cholesky pivot below
    /// 10⁻³ of the largest, i.e. κ(A) ≳ 10³, where one float pass would lose too much — the
    /// basis comes from Householder QR instead (`householderOrthonormalizeColumns`).
    /// - Complexity: O(m · n²).
    public mutating func orthonormalizeColumns() throws(LinearAlgebraError) {
        guard rows >= columns else { throw .shape("QR needs rows ≥ columns, got \(rows)×\(columns)") }
        guard columns > 0 else { return }
        for _ in 0..<2 where !choleskyQRPass() {
            try householderOrthonormalizeColumns()
            return
        }
    }

    /// One Cholesky QR pass; leaves the matrix unchanged and returns false when the Gram
    /// matrix is numerically singular or too ill-conditioned for float arithmetic.
    private mutating func choleskyQRPass() -> Bool {
        let n = columns
        var gram = [Float](repeating: 0, count: n * n)
        storage.withUnsafeBufferPointer { a in
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows), 1,
                        a.baseAddress, Int32(n), 0, &gram, Int32(n))
        }
        let info = LAPACKE_spotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), &gram, Int32(n))
        guard info == 0 else { return false }
        var smallest = Float.infinity, largest: Float = 0
        for i in 0..<n {
            smallest = min(smallest, gram[i * n + i])
            largest = max(largest, gram[i * n + i])
        }
        guard smallest.isFinite, largest.isFinite, smallest > 1e-3 * largest else { return false }
        storage.withUnsafeMutableBufferPointer { a in
            cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(rows), Int32(n), 1,
                        gram, Int32(n), a.baseAddress, Int32(n))
        }
        return true
    }

    /// The Q of a thin QR factorisation by Householder reflections, LAPACK `sgeqrf` then
    /// `sorgqr`: stable whatever the conditioning, rank-deficient matrices included.
    /// - Complexity: O(m · n²).
    public mutating func householderOrthonormalizeColumns() throws(LinearAlgebraError) {
        guard rows >= columns else { throw .shape("QR needs rows ≥ columns, got \(rows)×\(columns)") }
        guard columns > 0 else { return }
        var tau = [Float](repeating: 0, count: columns)
        let m = Int32(rows), n = Int32(columns)
        var info = storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, m, n, p.baseAddress, n, &tau)
        }
        guard info == 0 else { throw .lapack(routine: "sgeqrf", info: info) }
        info = storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_sorgqr(LAPACK_ROW_MAJOR, m, n, n, p.baseAddress, n, &tau)
        }
        guard info == 0 else { throw .lapack(routine: "sorgqr", info: info) }
    }

    /// Thin singular value decomposition `self = U · diag(σ) · Vᵀ` by LAPACK `sgesdd`,
    /// singular values descending. For an m × n matrix with r = min(m, n): U is m × r,
    /// Vᵀ is r × n. - Complexity: O(m · n · r).
    public func singularValueDecomposition() throws(LinearAlgebraError) -> (u: DenseMatrix, sigma: [Float], vt: DenseMatrix) {
        let r = min(rows, columns)
        var a = storage
        var u = DenseMatrix(rows: rows, columns: r)
        var vt = DenseMatrix(rows: r, columns: columns)
        var sigma = [Float](repeating: 0, count: r)
        guard r > 0 else { return (u, sigma, vt) }
        let info = a.withUnsafeMutableBufferPointer { pa in
            u.storage.withUnsafeMutableBufferPointer { pu in
                vt.storage.withUnsafeMutableBufferPointer { pv in
                    LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), Int32(rows), Int32(columns),
                                   pa.baseAddress, Int32(columns), &sigma,
                                   pu.baseAddress, Int32(r), pv.baseAddress, Int32(columns))
                }
            }
        }
        guard info == 0 else { throw .lapack(routine: "sgesdd", info: info) }
        return (u, sigma, vt)
    }

    /// Scales every row to unit Euclidean length (`cblas_snrm2`, `cblas_sscal`); zero rows stay zero.
    public mutating func normalizeRows() {
        let n = columns
        guard n > 0 else { return }
        storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows {
                let row = p.baseAddress! + r * n
                let norm = cblas_snrm2(Int32(n), row, 1)
                if norm > 0 { cblas_sscal(Int32(n), 1 / norm, row, 1) }
            }
        }
    }

    /// The first `count` columns as a new matrix.
    public func leadingColumns(_ count: Int) -> DenseMatrix {
        precondition(count <= columns)
        var out = DenseMatrix(rows: rows, columns: count)
        for r in 0..<rows {
            for c in 0..<count { out.storage[r * count + c] = storage[r * columns + c] }
        }
        return out
    }
}
