import Foundation
import Testing
@testable import ShuoguoVectors

/// The fast paths of the vector layer must compute exactly what the plain definitions do.
@Suite struct KernelTests {
    @Test func panelledProductEqualsUnblockedProductBitForBit() {
        let s = SparseDenseTests.randomSparse(rows: 700, columns: 300, density: 0.05, seed: 11)
        var rng = SplitMix64(seed: 12)
        var rhs = DenseMatrix(rows: 300, columns: 9)
        rng.fillStandardNormal(&rhs.storage)
        let unblocked = s.multiply(rhs, panelBytes: .max)
        // 36 bytes hold one 9-float dense row: one column per panel, 300 panels.
        for panelBytes in [36, 100, 1000, 5000] {
            for threads in [1, 2, 3] {
                #expect(s.multiply(rhs, threads: threads, panelBytes: panelBytes) == unblocked)
            }
        }
        let expected = DenseMatrix.product(SparseDenseTests.dense(s), rhs)
        #expect(zip(unblocked.storage, expected.storage).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func matrixRowsEqualVectorsWhateverTheThreads() {
        // Enough documents (≥ 1024) for the rows to be split over workers; repeats, unknown terms,
        // empty documents and a term spelt both precomposed and decomposed.
        var rng = SplitMix64(seed: 5)
        let words = ["海水", "淡化", "反渗透", "膜", "sic", "47.6kg", "\u{e9}", "e\u{301}"] + (0..<40).map { "词\($0)" }
        let documents: [[String]] = (0..<1500).map { d in
            if d % 97 == 0 { return [] }
            return (0..<Int(3 + rng.next() % 20)).map { _ in words[Int(rng.next() % UInt64(words.count))] }
        } + [["仅一次", "海水"]]
        let model = TfidfModel.fit(documents: documents)
        #expect(model.vocabulary.count == words.count - 1)  // the two spellings of é are one term
        #expect(model.termIndex["仅一次"] == nil)
        let single = model.matrix(documents: documents, threads: 1)
        #expect(model.matrix(documents: documents, threads: 3) == single)
        for d in [0, 1, 2, 97, 500, 1499, 1500] {
            let row = single.row(d)
            let expected = model.vector(of: documents[d])
            #expect(Array(row.columns) == expected.map(\.column))
            #expect(Array(row.values) == expected.map(\.value))
        }
    }

    @Test func canonicallyEquivalentSpellingsAreOneTerm() {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are equal Strings with different bytes.
        let docs = [["\u{e9}", "a"], ["e\u{301}", "a"], ["b", "a"]]
        let model = TfidfModel.fit(documents: docs, minimumDocumentFrequency: 2)
        #expect(model.vocabulary == ["a", "\u{e9}"])
        let matrix = model.matrix(documents: docs)
        #expect(matrix.row(0).columns == matrix.row(1).columns)
        #expect(matrix.row(0).values == matrix.row(1).values)
    }

    @Test func termTableFindsShortAndLongKeysAfterGrowing() {
        var table = TermTable(expectedCount: 2)
        let keys: [String] = (0..<3000).map { (i: Int) -> String in
            switch i % 3 {
            case 0: return "长的关键词-\(i)-超过十六个字节"
            case 1: return "词\(i)"
            default: return "\(i % 7)"
            }
        }.reduce(into: [String]()) { keys, key in if !keys.contains(key) { keys.append(key) } }
        for (i, key) in keys.enumerated() {
            key.withUTF8Bytes { bytes in
                #expect(table.value(for: bytes) == nil)
                table.insert(bytes, value: Int32(i))
            }
        }
        #expect(table.count == keys.count)
        for (i, key) in keys.enumerated() { #expect(key.withUTF8Bytes { table.value(for: $0) } == Int32(i)) }
        #expect("不在表里".withUTF8Bytes { table.value(for: $0) } == nil)
        #expect("".withUTF8Bytes { table.value(for: $0) } == nil)
    }

    /// Columns whose Gram matrix defeats Cholesky QR (κ ≈ 10⁶) must still come out orthonormal
    /// and spanning the same space, through the Householder path.
    @Test func illConditionedColumnsStillOrthonormalize() throws {
        var rng = SplitMix64(seed: 21)
        var m = DenseMatrix(rows: 300, columns: 6)
        rng.fillStandardNormal(&m.storage)
        for r in 0..<300 { m[r, 5] = m[r, 4] + 1e-6 * m[r, 5] }
        let original = m
        try m.orthonormalizeColumns()
        let gram = DenseMatrix.product(m, transposed: true, m)
        for i in 0..<6 { for j in 0..<6 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-4) } }
        // Each original column lies in the span: ‖QQᵀa − a‖ ≤ 1e-4 ‖a‖.
        let projected = DenseMatrix.product(m, DenseMatrix.product(m, transposed: true, original))
        for c in 0..<6 {
            var residual: Float = 0, norm: Float = 0
            for r in 0..<300 {
                residual += (projected[r, c] - original[r, c]) * (projected[r, c] - original[r, c])
                norm += original[r, c] * original[r, c]
            }
            #expect(residual.squareRoot() <= 1e-4 * norm.squareRoot())
        }
    }

    @Test func choleskyAndHouseholderSpanTheSameSpace() throws {
        var rng = SplitMix64(seed: 33)
        var a = DenseMatrix(rows: 500, columns: 20)
        rng.fillStandardNormal(&a.storage)
        var cholesky = a, householder = a
        try cholesky.orthonormalizeColumns()
        try householder.householderOrthonormalizeColumns()
        // Same column space: QᶜQᶜᵀ = QʰQʰᵀ, tested as Qᶜᵀ Qʰ being orthogonal (|det| = 1 ⇔ ‖·‖_F² = n).
        let cross = DenseMatrix.product(cholesky, transposed: true, householder)
        let frobenius = cross.storage.reduce(Float(0)) { $0 + $1 * $1 }
        #expect(abs(frobenius - 20) < 1e-3)
        #expect(cholesky != householder)  // the fast path ran: Householder fixes different signs
    }
}
