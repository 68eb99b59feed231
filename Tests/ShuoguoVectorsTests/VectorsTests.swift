import Foundation
import Testing
@testable import ShuoguoVectors

@Suite struct TfidfTests {
    @Test func weightsFollowTheDocumentedFormula() throws {
        let docs = [["海水", "淡化", "海水"], ["海水", "膜"], ["膜", "淡化", "反渗透"]]
        let model = TfidfModel.fit(documents: docs, minimumDocumentFrequency: 1)
        #expect(model.vocabulary == ["反渗透", "淡化", "海水", "膜"].sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
        let idf = { (df: Double) in Float(log(4.0 / (1 + df)) + 1) }
        #expect(abs(model.idf[Int(model.termIndex["海水"]!)] - idf(2)) < 1e-6)
        #expect(abs(model.idf[Int(model.termIndex["反渗透"]!)] - idf(1)) < 1e-6)
        // Document 0: 海水 tf 2, 淡化 tf 1.
        let v = model.vector(of: docs[0])
        let sea = (1 + Float(log(2.0))) * idf(2), desal = idf(2)
        let norm = (sea * sea + desal * desal).squareRoot()
        let byTerm = Dictionary(uniqueKeysWithValues: v.map { (model.vocabulary[Int($0.column)], $0.value) })
        #expect(abs(byTerm["海水"]! - sea / norm) < 1e-6)
        #expect(abs(byTerm["淡化"]! - desal / norm) < 1e-6)
        #expect(byTerm.count == 2)
    }

    @Test func rareTermsLeaveTheVocabulary() {
        let model = TfidfModel.fit(documents: [["a", "b"], ["a", "c"], ["a", "b"]], minimumDocumentFrequency: 2)
        #expect(model.vocabulary == ["a", "b"])
        #expect(model.vector(of: ["c"]).isEmpty)
    }
}

@Suite struct SparseDenseTests {
    static func randomSparse(rows: Int, columns: Int, density: Double, seed: UInt64) -> SparseMatrix {
        var rng = SplitMix64(seed: seed)
        var m = SparseMatrix(columns: columns)
        for _ in 0..<rows {
            var entries: [(column: Int32, value: Float)] = []
            for c in 0..<columns where Double(rng.next() % 10_000) / 10_000 < density {
                entries.append((Int32(c), Float(rng.next() % 1000) / 100 - 5))
            }
            m.appendRow(entries)
        }
        return m
    }

    static func dense(_ s: SparseMatrix) -> DenseMatrix {
        var d = DenseMatrix(rows: s.rows, columns: s.columns)
        for r in 0..<s.rows {
            let row = s.row(r)
            for (c, v) in zip(row.columns, row.values) { d[r, Int(c)] = v }
        }
        return d
    }

    @Test func sparseTimesDenseEqualsGemm() throws {
        let s = Self.randomSparse(rows: 300, columns: 80, density: 0.1, seed: 1)
        var rng = SplitMix64(seed: 2)
        var rhs = DenseMatrix(rows: 80, columns: 17)
        rng.fillStandardNormal(&rhs.storage)
        let expected = DenseMatrix.product(Self.dense(s), rhs)
        for threads in [1, 2, 3] {
            let actual = s.multiply(rhs, threads: threads)
            #expect(zip(actual.storage, expected.storage).allSatisfy { abs($0 - $1) < 1e-4 })
        }
        #expect(s.multiply(rhs, threads: 1) == s.multiply(rhs, threads: 2))
    }

    static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @Test func transposeTwiceIsIdentity() {
        let s = Self.randomSparse(rows: 50, columns: 40, density: 0.2, seed: 3)
        #expect(s.transposed().transposed() == s)
        #expect(Self.dense(s.transposed()) == DenseMatrix.product(Self.dense(s), transposed: true, Self.identity(50)))
    }

    @Test func csrValidationRejectsBadArrays() {
        #expect(throws: LinearAlgebraError.self) { try SparseMatrix(rowStarts: [0, 2], columnIndices: [3, 1], values: [1, 1], columns: 5) }
        #expect(throws: LinearAlgebraError.self) { try SparseMatrix(rowStarts: [0, 1], columnIndices: [7], values: [1], columns: 5) }
    }

    @Test func qrGivesOrthonormalColumns() throws {
        var rng = SplitMix64(seed: 9)
        var m = DenseMatrix(rows: 200, columns: 12)
        rng.fillStandardNormal(&m.storage)
        try m.orthonormalizeColumns()
        let gram = DenseMatrix.product(m, transposed: true, m)
        for i in 0..<12 { for j in 0..<12 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-4) } }
    }
}

@Suite struct LatentSemanticTests {
    /// A documents × terms matrix of exact rank 6 (non-negative factors) with sparse support.
    static func lowRankMatrix() -> SparseMatrix {
        var rng = SplitMix64(seed: 42)
        let topics = 6, terms = 120, docs = 400
        var topicTerms = [[Float]](repeating: [Float](repeating: 0, count: terms), count: topics)
        for t in 0..<topics { for w in (t * 20)..<(t * 20 + 20) { topicTerms[t][w] = Float(1 + rng.next() % 5) } }
        var m = SparseMatrix(columns: terms)
        for _ in 0..<docs {
            var weights = [Float](repeating: 0, count: topics)
            weights[Int(rng.next() % UInt64(topics))] = 1
            weights[Int(rng.next() % UInt64(topics))] += 0.5
            var row: [(column: Int32, value: Float)] = []
            for w in 0..<terms {
                let v = (0..<topics).reduce(Float(0)) { $0 + weights[$1] * topicTerms[$1][w] }
                if v != 0 { row.append((Int32(w), v)) }
            }
            m.appendRow(row)
        }
        return m
    }

    @Test func randomizedSVDRecoversTheSpectrum() throws {
        let a = Self.lowRankMatrix()
        let exact = try SparseDenseTests.dense(a).singularValueDecomposition()
        let model = try LatentSemanticModel.fit(a, parameters: .init(rank: 6, oversampling: 6, powerIterations: 2, seed: 1))
        for i in 0..<6 { #expect(abs(model.singularValues[i] - exact.sigma[i]) / exact.sigma[i] < 1e-3) }
        // Each fitted right singular vector matches the exact one up to sign.
        for j in 0..<6 {
            var dot: Float = 0
            for t in 0..<a.columns { dot += model.termProjection[t, j] * exact.vt[j, t] }
            #expect(abs(abs(dot) - 1) < 1e-2)
        }
    }

    @Test func signsAreCanonicalAndFitsAreDeterministic() throws {
        let a = Self.lowRankMatrix()
        let first = try LatentSemanticModel.fit(a, parameters: .init(rank: 5, seed: 7), threads: 2)
        let second = try LatentSemanticModel.fit(a, parameters: .init(rank: 5, seed: 7), threads: 1)
        #expect(first == second)
        let v = first.termProjection
        for j in 0..<v.columns {
            let column = (0..<v.rows).map { v[$0, j] }
            let largest = column.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
    }

    @Test func foldInEqualsProjectionOfFittedRows() throws {
        let a = Self.lowRankMatrix()
        let model = try LatentSemanticModel.fit(a, parameters: .init(rank: 4, seed: 3))
        let all = model.project(a)
        for r in [0, 17, 399] {
            let row = a.row(r)
            let single = model.project(zip(row.columns, row.values).map { ($0, $1) })
            #expect(zip(single, all.row(r)).allSatisfy { abs($0 - $1) < 1e-5 })
            let norm = single.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    @Test func tooSmallInputIsAnError() {
        #expect(throws: LinearAlgebraError.self) { try LatentSemanticModel.fit(SparseMatrix(columns: 3)) }
    }
}
