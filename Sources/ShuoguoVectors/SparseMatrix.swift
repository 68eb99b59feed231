import CLinearAlgebra

/// A compressed sparse row (CSR) matrix of `Float`: one row per document, one column per term.
///
/// Row `r` holds the entries `columnIndices[rowStarts[r]..<rowStarts[r+1]]` with the same
/// slice of `values`. Column indices are strictly increasing within a row.
public struct SparseMatrix: Equatable, Sendable {
    public private(set) var rowStarts: [Int]
    public private(set) var columnIndices: [Int32]
    public private(set) var values: [Float]
    public let columns: Int

    public var rows: Int { rowStarts.count - 1 }
    public var nonZeroCount: Int { values.count }

    /// An empty matrix with `columns` columns and no rows.
    public init(columns: Int) {
        self.rowStarts = [0]
        self.columnIndices = []
        self.values = []
        self.columns = columns
    }

    /// Validated construction from CSR arrays.
    public init(rowStarts: [Int], columnIndices: [Int32], values: [Float], columns: Int) throws(LinearAlgebraError) {
        guard let first = rowStarts.first, first == 0, rowStarts.last == values.count,
              columnIndices.count == values.count else { throw .shape("inconsistent CSR arrays") }
        for r in 0..<(rowStarts.count - 1) {
            let lower = rowStarts[r], upper = rowStarts[r + 1]
            guard lower <= upper else { throw .shape("row \(r) ends before it starts") }
            var previous: Int32 = -1
            for i in lower..<upper {
                let c = columnIndices[i]
                guard c > previous, Int(c) < columns else { throw .shape("row \(r): column \(c) out of order or range") }
                previous = c
            }
        }
        self.rowStarts = rowStarts
        self.columnIndices = columnIndices
        self.values = values
        self.columns = columns
    }

    /// Appends a row given as (column, value) pairs in any order; duplicate columns are summed.
    public mutating func appendRow<S: Sequence>(_ entries: S) where S.Element == (column: Int32, value: Float) {
        var sorted = entries.sorted { $0.column < $1.column }
        var merged = 0
        for entry in sorted {
            precondition(entry.column >= 0 && Int(entry.column) < columns, "column out of range")
            if merged > 0, sorted[merged - 1].column == entry.column {
                sorted[merged - 1].value += entry.value
            } else {
                sorted[merged] = entry
                merged += 1
            }
        }
        for entry in sorted[0..<merged] where entry.value != 0 {
            columnIndices.append(entry.column)
            values.append(entry.value)
        }
        rowStarts.append(values.count)
    }

    /// The entries of one row.
    public func row(_ r: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowStarts[r]..<rowStarts[r + 1]
        return (columnIndices[range], values[range])
    }

    /// The transpose, also in CSR form (that is, this matrix in CSC form). - Complexity: O(nnz + rows + columns).
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { counts[Int(c) + 1] += 1 }
        for i in 0..<columns { counts[i + 1] += counts[i] }
        var next = counts
        var indices = [Int32](repeating: 0, count: values.count)
        var vals = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            for i in rowStarts[r]..<rowStarts[r + 1] {
                let c = Int(columnIndices[i])
                indices[next[c]] = Int32(r)
                vals[next[c]] = values[i]
                next[c] += 1
            }
        }
        var t = SparseMatrix(columns: rows)
        t.rowStarts = counts
        t.columnIndices = indices
        t.values = vals
        return t
    }

    /// `self · dense` for a dense (columns × n) right-hand side; the result is rows × n.
    ///
    /// Each output row is a sum of scaled dense rows, accumulated with `cblas_saxpy`. Rows are
    /// split into contiguous blocks over `threads` workers; every output row is written by one
    /// worker in a fixed order, so the result does not depend on the thread count.
    /// - Complexity: O(nnz · n).
    public func multiply(_ dense: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        precondition(dense.rows == columns, "dimension mismatch: \(columns) vs \(dense.rows)")
        let n = dense.columns
        var out = DenseMatrix(rows: rows, columns: n)
        guard rows > 0, n > 0 else { return out }
        rowStarts.withUnsafeBufferPointer { starts in
            columnIndices.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { vals in
                    dense.storage.withUnsafeBufferPointer { rhs in
                        out.storage.withUnsafeMutableBufferPointer { result in
                            let starts = SharedPointer(starts.baseAddress!), cols = SharedPointer(cols.baseAddress!)
                            let vals = SharedPointer(vals.baseAddress!), rhs = SharedPointer(rhs.baseAddress!)
                            let result = SharedPointer(result.baseAddress!)
                            forEachBlock(count: rows, workers: rows >= 256 ? threads : 1) { block in
                                for r in block {
                                    let target = result.base + r * n
                                    for i in starts.base[r]..<starts.base[r + 1] {
                                        cblas_saxpy(Int32(n), vals.base[i], rhs.base + Int(cols.base[i]) * n, 1, target, 1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
