import CLinearAlgebra
public func probeBLAS() -> Float {
    var a: [Float] = [1, 2, 3, 4]; var b: [Float] = [1, 0, 0, 1]; var c = [Float](repeating: 0, count: 4)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, &a, 2, &b, 2, 0, &c, 2)
    var s = [Float](repeating: 0, count: 2); var u = [Float](repeating: 0, count: 4); var vt = [Float](repeating: 0, count: 4)
    var m = a
    _ = LAPACKE_sgesdd(LAPACK_ROW_MAJOR, 65, 2, 2, &m, 2, &s, &u, 2, &vt, 2)
    return c[3] + s[0]
}
