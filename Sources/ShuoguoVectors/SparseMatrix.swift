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

    /// CSR arrays that the caller built valid: rows start at 0, end at `values.count`, and
    /// column indices increase within each row and stay below `columns`.
    init(trustedRowStarts rowStarts: [Int], columnIndices: [Int32], values: [Float], columns: Int) {
        assert(rowStarts.first == 0 && rowStarts.last == values.count && columnIndices.count == values.count)
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

    /// Bytes of the dense right-hand side that one panel of `multiply` may span: a share of a
    /// 32 MiB L3 cache that stays warm while other processes run.
    public static let multiplyPanelBytes = 4 << 20

    /// `self · dense` for a dense (columns × n) right-hand side; the result is rows × n.
    ///
    /// Each output row is a sum of scaled dense rows, accumulated with `cblas_saxpy` in
    /// ascending column order. Gathering dense rows in the order the non-zeros come would fetch
    /// almost every one from memory (the right-hand side is 70–110 MB at k = 256), so the
    /// columns are cut into panels of 2^s consecutive dense rows that fit in `panelBytes`
    /// (default `multiplyPanelBytes`), and the non-zeros are first copied panel by panel (a
    /// stable counting sort: within a panel, by row, then by column). The products then run panel
    /// after panel: the panel's dense rows stay in cache and the output rows are streamed in
    /// order. Every output row still takes its entries in ascending column order, so the result
    /// is the same bit for bit as the unblocked product, whatever the panel size.
    ///
    /// Rows are split into contiguous blocks over `threads` workers, each blocking its own
    /// rows; every output row is written by one worker in a fixed order, so the result does not
    /// depend on the thread count either.
    /// - Complexity: O(nnz · n) arithmetic plus O(nnz + panels) for the copy;
    ///   O(nnz / workers) extra memory (12 bytes per non-zero) while it runs.
    public func multiply(_ dense: DenseMatrix, threads: Int = 1, panelBytes: Int = multiplyPanelBytes) -> DenseMatrix {
        precondition(dense.rows == columns, "dimension mismatch: \(columns) vs \(dense.rows)")
        let n = dense.columns
        var out = DenseMatrix(rows: rows, columns: n)
        guard rows > 0, n > 0 else { return out }
        var shift = 0
        while (2 << shift) * n * MemoryLayout<Float>.stride <= panelBytes && (1 << shift) < columns { shift += 1 }
        let panelShift = shift, panels = (columns + (1 << shift) - 1) >> shift
        rowStarts.withUnsafeBufferPointer { starts in
            columnIndices.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { vals in
                    dense.storage.withUnsafeBufferPointer { rhs in
                        out.storage.withUnsafeMutableBufferPointer { result in
                            let starts = SharedPointer(starts.baseAddress!), cols = SharedPointer(cols.baseAddress!)
                            let vals = SharedPointer(vals.baseAddress!), rhs = SharedPointer(rhs.baseAddress!)
                            let result = SharedPointer(result.baseAddress!)
                            forEachBlock(count: rows, workers: rows >= 256 ? threads : 1) { block in
                                let first = starts.base[block.lowerBound], count = starts.base[block.upperBound] - first
                                guard panels > 1 else {
                                    for r in block {
                                        for i in starts.base[r]..<starts.base[r + 1] {
                                            cblas_saxpy(Int32(n), vals.base[i], rhs.base + Int(cols.base[i]) * n, 1, result.base + r * n, 1)
                                        }
                                    }
                                    return
                                }
                                // Stable counting sort of this block's non-zeros by panel.
                                var next = [Int](repeating: 0, count: panels + 1)
                                for i in first..<(first + count) { next[Int(cols.base[i]) >> panelShift + 1] += 1 }
                                for p in 0..<panels { next[p + 1] += next[p] }
                                var entryRows = [Int32](repeating: 0, count: count)
                                var entryColumns = [Int32](repeating: 0, count: count)
                                var entryValues = [Float](repeating: 0, count: count)
                                for r in block {
                                    for i in starts.base[r]..<starts.base[r + 1] {
                                        let p = Int(cols.base[i]) >> panelShift
                                        let slot = next[p]
                                        next[p] = slot + 1
                                        entryRows[slot] = Int32(truncatingIfNeeded: r)
                                        entryColumns[slot] = cols.base[i]
                                        entryValues[slot] = vals.base[i]
                                    }
                                }
                                for e in 0..<count {
                                    cblas_saxpy(Int32(n), entryValues[e], rhs.base + Int(entryColumns[e]) * n, 1,
                                                result.base + Int(entryRows[e]) * n, 1)
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
