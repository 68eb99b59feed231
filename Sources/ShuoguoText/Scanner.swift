// The tokenizer proper: splits normalized scalars into Latin/number tokens, symbols and CJK
// runs, and segments each CJK run with the lexicon. It reports tokens as ranges of the
// normalized buffer to a sink, so `terms` can build strings without building `Token`s.

/// Receives tokens as half-open ranges of normalized scalars.
protocol TokenSink {
    mutating func emit(_ kind: Token.Kind, _ start: Int, _ end: Int)
}

/// Scratch memory for one analysis, carved from a single allocation.
struct ScanBuffers {
    var scalars: UnsafeMutablePointer<UInt32>
    var classes: UnsafeMutablePointer<UInt8>
    var starts: UnsafeMutablePointer<Int>?
    var ends: UnsafeMutablePointer<Int>?
    /// Best path score from each position of a CJK run to its end (run length + 1 entries).
    var best: UnsafeMutablePointer<Double>
    /// End of the first word of that best path.
    var next: UnsafeMutablePointer<Int32>
    var count = 0

    /// Normalizes `text` into scratch memory sized for it and calls `body`.
    static func with<R>(_ text: String, offsets: Bool, _ body: (inout ScanBuffers) -> R) -> R {
        withUTF8(text) { bytes in
            let n = bytes.count
            // Layout keeps every array aligned: 8-byte arrays first, then 4-byte, then bytes.
            let bestBytes = (n + 1) * 8
            let offsetBytes = offsets ? n * 8 : 0
            let total = bestBytes + 2 * offsetBytes + n * 4 + (n + 1) * 4 + n
            return withUnsafeTemporaryAllocation(byteCount: total, alignment: 8) { raw in
                let base = raw.baseAddress!
                var buffers = ScanBuffers(
                    scalars: (base + bestBytes + 2 * offsetBytes).bindMemory(to: UInt32.self, capacity: n),
                    classes: (base + bestBytes + 2 * offsetBytes + n * 4 + (n + 1) * 4).bindMemory(to: UInt8.self, capacity: n),
                    starts: offsets ? (base + bestBytes).bindMemory(to: Int.self, capacity: n) : nil,
                    ends: offsets ? (base + bestBytes + offsetBytes).bindMemory(to: Int.self, capacity: n) : nil,
                    best: base.bindMemory(to: Double.self, capacity: n + 1),
                    next: (base + bestBytes + 2 * offsetBytes + n * 4).bindMemory(to: Int32.self, capacity: n + 1)
                )
                buffers.count = ScalarClass.table.withUnsafeBufferPointer { table in
                    TextNormalizer.normalize(
                        bytes, table: table.baseAddress!,
                        scalars: buffers.scalars, classes: buffers.classes,
                        starts: buffers.starts, ends: buffers.ends)
                }
                return body(&buffers)
            }
        }
    }
}

/// Raw, read-only views of an analyzer's tables, valid inside `Analyzer.withScanner`.
struct Scanner {
    /// Word log-probabilities as node values.
    let lexicon: PackedTrie.View
    let unknownLogProbability: Double
    /// Stopwords as nodes with value 0.
    let stopwords: PackedTrie.View
    let indexMode: Bool

    /// Longest Latin or number token; longer alphanumeric runs are cut into pieces this long.
    static let maximumAlphanumericLength = 64

    /// Whether normalized scalars `s[start..<end]` spell a stopword.
    @inline(__always)
    func isStopword(_ s: UnsafePointer<UInt32>, _ start: Int, _ end: Int) -> Bool {
        var node: Int32 = 0
        for k in start..<end {
            node = stopwords.child(node, s[k])
            if node == 0 { return false }
        }
        return node != 0 && stopwords.value(node) == 0
    }

    func scan<S: TokenSink>(_ b: ScanBuffers, into sink: inout S) {
        let cls = b.classes
        let n = b.count
        let mask = ScalarClass.mainMask
        var p = 0
        while p < n {
            let k = cls[p]
            let main = k & mask
            if main == ScalarClass.cjk {
                var q = p + 1
                while q < n && cls[q] & mask == ScalarClass.cjk { q += 1 }
                segment(b, p, q, into: &sink)
                p = q
            } else if main == ScalarClass.letter || main == ScalarClass.digit {
                p = scanAlphanumeric(b, from: p, prefixed: false, into: &sink)
            } else if main == ScalarClass.symbol {
                if k & ScalarClass.prefix != 0, p + 1 < n, cls[p + 1] & mask == ScalarClass.digit,
                   p == 0 || !Self.isAlphanumeric(cls[p - 1]) {
                    p = scanAlphanumeric(b, from: p, prefixed: true, into: &sink)
                } else {
                    sink.emit(.symbol, p, p + 1)
                    p += 1
                }
            } else {
                p += 1
            }
        }
    }

    @inline(__always)
    static func isAlphanumeric(_ k: UInt8) -> Bool {
        let main = k & ScalarClass.mainMask
        return main == ScalarClass.letter || main == ScalarClass.digit
    }

    @inline(__always)
    static func isDigit(_ k: UInt8) -> Bool {
        k & ScalarClass.mainMask == ScalarClass.digit
    }

    /// Reads one Latin or number token starting at `start` (a letter, a digit, or a sign in
    /// front of a digit) and returns the position after it.
    ///
    /// Rules: letters and digits join; `.`, `-`, `_` join two alphanumerics except `-` between
    /// two digits ("2024-2028" is two numbers); `,` joins thousands groups ("1,200"); `+` and `#`
    /// end a Latin token ("c++"); unit symbols end a number token ("300℃", "95%", "25°c").
    private func scanAlphanumeric<S: TokenSink>(_ b: ScanBuffers, from start: Int, prefixed: Bool, into sink: inout S) -> Int {
        let s = b.scalars
        let cls = b.classes
        let n = b.count
        var p = prefixed ? start + 1 : start
        let isNumber = prefixed || Self.isDigit(cls[p])
        p += 1
        while p < n {
            let k = cls[p]
            if Self.isAlphanumeric(k) {
                p += 1
                continue
            }
            if k & ScalarClass.joiner != 0, p + 1 < n, Self.isAlphanumeric(cls[p + 1]) {
                if s[p] == 0x2D && Self.isDigit(cls[p - 1]) && Self.isDigit(cls[p + 1]) { break }
                p += 2
                continue
            }
            if s[p] == 0x2C, Self.isDigit(cls[p - 1]), p + 3 < n,
               Self.isDigit(cls[p + 1]), Self.isDigit(cls[p + 2]), Self.isDigit(cls[p + 3]),
               p + 4 >= n || !Self.isAlphanumeric(cls[p + 4]) {
                p += 4
                continue
            }
            break
        }
        if !isNumber {
            while p < n, cls[p] & ScalarClass.trailer != 0, p + 1 >= n || !Self.isAlphanumeric(cls[p + 1]) {
                p += 1
            }
        }
        var endsWithDegree = false
        while p < n && cls[p] & ScalarClass.suffix != 0 {
            endsWithDegree = s[p] == 0xB0
            p += 1
        }
        if endsWithDegree, p < n, s[p] == 0x63 || s[p] == 0x66 || s[p] == 0x6B,
           p + 1 >= n || !Self.isAlphanumeric(cls[p + 1]) {
            p += 1  // °c, °f, °k
        }
        let kind: Token.Kind = isNumber ? .number : .latin
        var piece = start
        while p - piece > Self.maximumAlphanumericLength {
            sink.emit(kind, piece, piece + Self.maximumAlphanumericLength)
            piece += Self.maximumAlphanumericLength
        }
        sink.emit(kind, piece, p)
        return p
    }

    /// Segments the CJK run `s[a..<z]`.
    ///
    /// The best path maximises the sum of word log-probabilities, found right to left as jieba
    /// does: `best[i] = max over words w = s[i..<j] of logP(w) + best[j]`. A character that
    /// starts no word scores `log(1/total)`. Ties go to the longer word.
    private func segment<S: TokenSink>(_ b: ScanBuffers, _ a: Int, _ z: Int, into sink: inout S) {
        let s = b.scalars + a
        let best = b.best
        let next = b.next
        let m = z - a
        best[m] = 0
        var i = m - 1
        while i >= 0 {
            var node = lexicon.child(0, s[i])
            var bestScore = -Double.infinity
            var bestEnd = i + 1
            var j = i
            while node != 0 {
                let lp = lexicon.value(node)
                if lp < .infinity {
                    let score = lp + best[j + 1]
                    if score >= bestScore {
                        bestScore = score
                        bestEnd = j + 1
                    }
                }
                j += 1
                if j >= m { break }
                node = lexicon.child(node, s[j])
            }
            if bestScore == -.infinity {
                bestScore = unknownLogProbability + best[i + 1]
                bestEnd = i + 1
            }
            best[i] = bestScore
            next[i] = Int32(truncatingIfNeeded: bestEnd - i)
            i -= 1
        }

        // Walk the path. Stretches of single characters that are not stopwords become
        // overlapping bigrams; a stretch of one stays a one-character word.
        var loose = -1  // start of the current stretch of single characters
        i = 0
        while i < m {
            let e = i + Int(next[i])
            if e - i == 1 {
                if isStopword(s, i, e) {
                    if loose >= 0 { emitLoose(a, loose, i, into: &sink) }
                    loose = -1
                    sink.emit(.word, a + i, a + e)
                } else if loose < 0 {
                    loose = i
                }
            } else {
                if loose >= 0 { emitLoose(a, loose, i, into: &sink) }
                loose = -1
                sink.emit(.word, a + i, a + e)
                if indexMode && e - i > 2 { emitSubwords(s, a, i, e, into: &sink) }
            }
            i = e
        }
        if loose >= 0 { emitLoose(a, loose, m, into: &sink) }
    }

    @inline(__always)
    private func emitLoose<S: TokenSink>(_ a: Int, _ from: Int, _ to: Int, into sink: inout S) {
        if to - from == 1 {
            sink.emit(.word, a + from, a + to)
        } else {
            for k in from..<(to - 1) { sink.emit(.bigram, a + k, a + k + 2) }
        }
    }

    /// The two- and three-character lexicon words inside `s[i..<e]` (jieba's cut_for_search):
    /// all 2-grams first, then all 3-grams when the word is longer than three characters.
    private func emitSubwords<S: TokenSink>(_ s: UnsafePointer<UInt32>, _ a: Int, _ i: Int, _ e: Int, into sink: inout S) {
        for k in i..<(e - 1) {
            var node = lexicon.child(0, s[k])
            if node != 0 { node = lexicon.child(node, s[k + 1]) }
            if node != 0 && lexicon.value(node) < .infinity {
                sink.emit(.subword, a + k, a + k + 2)
            }
        }
        guard e - i > 3 else { return }
        for k in i..<(e - 2) {
            var node = lexicon.child(0, s[k])
            if node != 0 { node = lexicon.child(node, s[k + 1]) }
            if node != 0 { node = lexicon.child(node, s[k + 2]) }
            if node != 0 && lexicon.value(node) < .infinity {
                sink.emit(.subword, a + k, a + k + 3)
            }
        }
    }
}
