/// Text normalization applied before tokenization.
///
/// In order, for every scalar of the input:
///
/// 1. **HTML residue.** A tag (`<p style="…">`, `</span>`, `<input type="checkbox"/>`,
///    `<br>`, `<!-- … -->`) is removed and counts as whitespace. A tag must start with a
///    letter, `/` or `!` right after `<` and close with `>` within 1,024 bytes, so "<5%" and
///    "a < b" are left alone. Entities are decoded: `&nbsp;` (a space), `&amp;`, `&lt;`,
///    `&gt;`, `&quot;`, `&apos;`, a few typographic names (`&ldquo;`, `&mdash;`, `&times;`,
///    `&deg;`, `&plusmn;`, `&le;`, `&ge;` …) and numeric references `&#NNN;` / `&#xHH;`.
///    Text decoded from an entity is never parsed as markup again.
/// 2. **Width folding.** Full-width ASCII (U+FF01...U+FF5E) becomes ASCII; the ideographic
///    space U+3000 is whitespace.
/// 3. **Whitespace.** Whitespace and control characters between two CJK ideographs are
///    removed ("纺织 国家重点实验室" becomes one run); any other run of whitespace becomes one
///    space; leading and trailing whitespace is dropped. Zero-width format characters
///    (U+200B...U+200D, U+2060, U+FEFF, soft hyphen, variation selectors) are removed.
/// 4. **Case.** Latin, Greek and Cyrillic capitals are lower-cased.
///
/// Every other scalar (CJK, punctuation, emoji, private use, combining marks, U+FFFD) is kept
/// as it is; the tokenizer treats the ones it does not know as boundaries.
///
/// The same function applied to a token's original scalars gives the token's text, which is
/// how ``Token`` offsets stay meaningful.
public enum TextNormalizer {
    /// The normalized text.
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `text`.
    public static func normalize(_ text: String) -> String {
        normalizeWithOffsets(text, recordOffsets: false).text
    }

    /// The normalized text with, for each of its scalars, the range of original scalars it
    /// came from (one scalar, or a whole entity such as `&amp;`; a space that stands for a
    /// run of whitespace or a tag points at that run's first scalar).
    public static func normalizeWithOffsets(_ text: String) -> NormalizedText {
        normalizeWithOffsets(text, recordOffsets: true)
    }

    private static func normalizeWithOffsets(_ text: String, recordOffsets: Bool) -> NormalizedText {
        withUTF8(text) { bytes in
            let capacity = bytes.count
            guard capacity > 0 else { return NormalizedText(text: "", scalarRanges: []) }
            let scalars = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            let classes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            let starts = recordOffsets ? UnsafeMutablePointer<Int>.allocate(capacity: capacity) : nil
            let ends = recordOffsets ? UnsafeMutablePointer<Int>.allocate(capacity: capacity) : nil
            defer {
                scalars.deallocate()
                classes.deallocate()
                starts?.deallocate()
                ends?.deallocate()
            }
            let count = ScalarClass.table.withUnsafeBufferPointer { table in
                normalize(bytes, table: table.baseAddress!, scalars: scalars, classes: classes, starts: starts, ends: ends)
            }
            let string = makeString(scalars, count: count)
            var ranges: [Range<Int>] = []
            if let starts, let ends {
                ranges.reserveCapacity(count)
                for k in 0..<count { ranges.append(starts[k]..<ends[k]) }
            }
            return NormalizedText(text: string, scalarRanges: ranges)
        }
    }
}

/// The result of ``TextNormalizer/normalizeWithOffsets(_:)``.
public struct NormalizedText: Hashable, Sendable {
    /// The normalized text.
    public let text: String
    /// For each Unicode scalar of `text`, the original scalars it stands for. Empty when
    /// offsets were not requested.
    public let scalarRanges: [Range<Int>]
}

// MARK: - Core

extension TextNormalizer {
    /// Normalizes UTF-8 `bytes` into `scalars` and `classes`, and records the original scalar
    /// range of each output scalar into `starts` / `ends` when they are given. Every buffer
    /// must hold at least `bytes.count` elements (the output is never longer than the input
    /// in bytes). Returns the number of output scalars.
    ///
    /// `bytes` must be valid UTF-8, which every Swift `String` is.
    static func normalize(
        _ bytes: UnsafeBufferPointer<UInt8>,
        table: UnsafePointer<UInt8>,
        scalars: UnsafeMutablePointer<UInt32>,
        classes: UnsafeMutablePointer<UInt8>,
        starts: UnsafeMutablePointer<Int>?,
        ends: UnsafeMutablePointer<Int>?
    ) -> Int {
        let count = bytes.count
        guard count > 0, let b = bytes.baseAddress else { return 0 }
        var i = 0           // byte position in the input
        var origin = 0      // scalar position in the input
        var n = 0           // scalars written
        var pending = false // whitespace seen since the last written scalar
        var pendingAt = 0
        var lastWasCJK = false

        while i < count {
            let b0 = UInt32(b[i])
            var c: UInt32
            var width = 1
            if b0 < 0x80 {
                if b0 == 0x3C, let end = matchTag(bytes, at: i) {
                    if !pending { pending = true; pendingAt = origin }
                    origin += scalarCount(b, from: i, to: end)
                    i = end
                    continue
                }
                if b0 == 0x26, let (value, end) = matchEntity(bytes, at: i) {
                    c = value
                    width = end - i
                    i = end
                } else {
                    c = b0
                    i += 1
                }
            } else if b0 < 0xE0 {
                c = (b0 & 0x1F) << 6 | (UInt32(b[i + 1]) & 0x3F)
                i += 2
            } else if b0 < 0xF0 {
                c = (b0 & 0x0F) << 12 | (UInt32(b[i + 1]) & 0x3F) << 6 | (UInt32(b[i + 2]) & 0x3F)
                i += 3
            } else {
                c = (b0 & 0x07) << 18 | (UInt32(b[i + 1]) & 0x3F) << 12
                    | (UInt32(b[i + 2]) & 0x3F) << 6 | (UInt32(b[i + 3]) & 0x3F)
                i += 4
            }

            c = ScalarClass.foldWidth(c)
            let k = ScalarClass.classOf(c, table)
            let main = k & ScalarClass.mainMask
            if main == ScalarClass.space {
                if !pending { pending = true; pendingAt = origin }
                origin += width
                continue
            }
            if main == ScalarClass.ignorable {
                origin += width
                continue
            }
            let isCJK = main == ScalarClass.cjk
            if pending {
                pending = false
                if n > 0 && !(isCJK && lastWasCJK) {
                    scalars[n] = 0x20
                    classes[n] = ScalarClass.space
                    starts?[n] = pendingAt
                    ends?[n] = pendingAt + 1
                    n += 1
                }
            }
            if main == ScalarClass.letter { c = ScalarClass.lowercase(c) }
            scalars[n] = c
            classes[n] = k
            starts?[n] = origin
            ends?[n] = origin + width
            n += 1
            origin += width
            lastWasCJK = isCJK
        }
        return n
    }

    /// Number of scalars in `b[from..<to]` (bytes that are not UTF-8 continuation bytes).
    @inline(__always)
    static func scalarCount(_ b: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var k = 0
        for j in from..<to where b[j] & 0xC0 != 0x80 { k += 1 }
        return k
    }

    /// If an HTML tag or comment starts at `i` (which holds `<`), the index just past it.
    static func matchTag(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        var j = i + 1
        guard j < n else { return nil }
        if b[j] == 0x21 {  // <!-- comment --> or <!DOCTYPE …>
            if j + 2 < n && b[j + 1] == 0x2D && b[j + 2] == 0x2D {
                var k = j + 3
                let limit = min(n, i + 4096)
                while k + 2 < limit {
                    if b[k] == 0x2D && b[k + 1] == 0x2D && b[k + 2] == 0x3E { return k + 3 }
                    k += 1
                }
                return nil
            }
            j += 1
        } else if b[j] == 0x2F {  // </name>
            j += 1
        }
        guard j < n, isASCIILetter(b[j]) else { return nil }
        j += 1
        while j < n, isASCIILetter(b[j]) || (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == 0x3A || b[j] == 0x2D {
            j += 1
        }
        guard j < n else { return nil }
        let next = b[j]
        guard next == 0x3E || next == 0x2F || next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D else {
            return nil
        }
        let limit = min(n, i + 1024)
        while j < limit {
            if b[j] == 0x3E { return j + 1 }
            if b[j] == 0x3C { return nil }
            j += 1
        }
        return nil
    }

    /// If a character reference starts at `i` (which holds `&`), its scalar and the index
    /// just past its `;`.
    static func matchEntity(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let n = b.count
        var j = i + 1
        guard j < n else { return nil }
        if b[j] == 0x23 {  // &#…;
            j += 1
            var hex = false
            if j < n && (b[j] == 0x78 || b[j] == 0x58) { hex = true; j += 1 }
            var value: UInt32 = 0
            var digits = 0
            while j < n && digits <= 7 {
                let d = b[j]
                var v: UInt32
                if d >= 0x30 && d <= 0x39 { v = UInt32(d - 0x30) }
                else if hex && d >= 0x61 && d <= 0x66 { v = UInt32(d - 0x61 + 10) }
                else if hex && d >= 0x41 && d <= 0x46 { v = UInt32(d - 0x41 + 10) }
                else { break }
                value = value * (hex ? 16 : 10) + v
                digits += 1
                j += 1
            }
            guard digits > 0, digits <= 7, j < n, b[j] == 0x3B else { return nil }
            guard value > 0, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
            return (value, j + 1)
        }
        let nameStart = j
        while j < n && j - nameStart <= 8 && (isASCIILetter(b[j]) || (b[j] >= 0x30 && b[j] <= 0x39)) {
            j += 1
        }
        guard j > nameStart, j < n, b[j] == 0x3B else { return nil }
        let length = j - nameStart
        for (name, value) in namedEntities where name.count == length {
            var same = true
            for k in 0..<length where name[k] != b[nameStart + k] {
                same = false
                break
            }
            if same { return (value, j + 1) }
        }
        return nil
    }

    @inline(__always)
    static func isASCIILetter(_ c: UInt8) -> Bool {
        (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
    }

    /// The named entities decoded; others are left as text.
    static let namedEntities: [([UInt8], UInt32)] = [
        ("nbsp", 0xA0), ("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22),
        ("apos", 0x27), ("ensp", 0x2002), ("emsp", 0x2003), ("thinsp", 0x2009),
        ("ldquo", 0x201C), ("rdquo", 0x201D), ("lsquo", 0x2018), ("rsquo", 0x2019),
        ("mdash", 0x2014), ("ndash", 0x2013), ("hellip", 0x2026), ("middot", 0xB7),
        ("bull", 0x2022), ("times", 0xD7), ("divide", 0xF7), ("deg", 0xB0),
        ("plusmn", 0xB1), ("le", 0x2264), ("ge", 0x2265), ("micro", 0xB5),
        ("permil", 0x2030), ("laquo", 0xAB), ("raquo", 0xBB), ("copy", 0xA9),
        ("reg", 0xAE), ("yen", 0xA5), ("sup2", 0xB2), ("sup3", 0xB3),
    ].map { (Array($0.0.utf8), UInt32($0.1)) }

    /// Builds a `String` from normalized scalars.
    static func makeString(_ s: UnsafePointer<UInt32>, count: Int) -> String {
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count * 4) { buffer in
            var k = 0
            for j in 0..<count {
                k = encodeUTF8(s[j], into: buffer.baseAddress!, at: k)
            }
            return k
        }
    }

    @inline(__always)
    static func encodeUTF8(_ c: UInt32, into out: UnsafeMutablePointer<UInt8>, at k: Int) -> Int {
        if c < 0x80 {
            out[k] = UInt8(c)
            return k + 1
        } else if c < 0x800 {
            out[k] = UInt8(0xC0 | (c >> 6))
            out[k + 1] = UInt8(0x80 | (c & 0x3F))
            return k + 2
        } else if c < 0x10000 {
            out[k] = UInt8(0xE0 | (c >> 12))
            out[k + 1] = UInt8(0x80 | ((c >> 6) & 0x3F))
            out[k + 2] = UInt8(0x80 | (c & 0x3F))
            return k + 3
        } else {
            out[k] = UInt8(0xF0 | (c >> 18))
            out[k + 1] = UInt8(0x80 | ((c >> 12) & 0x3F))
            out[k + 2] = UInt8(0x80 | ((c >> 6) & 0x3F))
            out[k + 3] = UInt8(0x80 | (c & 0x3F))
            return k + 4
        }
    }
}

/// Calls `body` with the UTF-8 bytes of `text`, without copying when the string is native.
@inline(__always)
func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = text.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = text
    return copy.withUTF8(body)
}
