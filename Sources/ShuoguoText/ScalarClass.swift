// Character classes used by normalization and tokenization.
//
// A class byte holds a main class in its low three bits and flags above them.
// The Basic Multilingual Plane is looked up in a 64 KiB table; supplementary
// planes are classified by range (only CJK ideograph extensions matter there).

enum ScalarClass {
    // Main classes (low three bits).
    static let boundary: UInt8 = 0  // unknown scalar: ends any token, never becomes one
    static let space: UInt8 = 1     // whitespace and control characters
    static let cjk: UInt8 = 2       // CJK ideographs, segmented with the lexicon
    static let letter: UInt8 = 3    // Latin, Greek and Cyrillic letters
    static let digit: UInt8 = 4     // ASCII digits (full-width digits are folded first)
    static let symbol: UInt8 = 5    // punctuation and symbols: `.symbol` tokens
    static let ignorable: UInt8 = 6 // zero-width format characters: removed entirely

    static let mainMask: UInt8 = 0x07

    // Flags on symbols.
    /// `.`, `-`, `_`: joins two alphanumerics into one token ("li-ion", "0.1").
    static let joiner: UInt8 = 0x08
    /// `+`, `#`: kept at the end of a Latin token ("c++", "c#").
    static let trailer: UInt8 = 0x10
    /// `≥ ≤ ± ≈ ~ < > - +`: kept in front of a number ("≥95%", "-40℃").
    static let prefix: UInt8 = 0x20
    /// `% ‰ ℃ ° ² ㎡ …`: kept at the end of a number ("95%", "300℃").
    static let suffix: UInt8 = 0x40

    /// Class bytes for U+0000...U+FFFF.
    static let table: [UInt8] = makeTable()

    @inline(__always)
    static func classOf(_ c: UInt32, _ table: UnsafePointer<UInt8>) -> UInt8 {
        if c < 0x10000 { return table[Int(c)] }
        // CJK Unified Ideographs Extension B through H and the compatibility supplement.
        if c >= 0x20000 && c <= 0x323AF { return cjk }
        return boundary
    }

    /// Folds full-width ASCII (U+FF01...U+FF5E) to ASCII.
    @inline(__always)
    static func foldWidth(_ c: UInt32) -> UInt32 {
        (c &- 0xFF01) <= (0xFF5E - 0xFF01) ? c &- 0xFEE0 : c
    }

    /// Simple lower-casing for the letters this module tokenizes (ASCII, Latin-1,
    /// Greek and basic Cyrillic capitals). Other scalars are returned unchanged.
    @inline(__always)
    static func lowercase(_ c: UInt32) -> UInt32 {
        if c < 0x80 { return (c &- 0x41) <= 25 ? c | 0x20 : c }
        if c >= 0xC0 && c <= 0xDE && c != 0xD7 { return c + 0x20 }
        if c >= 0x391 && c <= 0x3A9 && c != 0x3A2 { return c + 0x20 }
        if c >= 0x410 && c <= 0x42F { return c + 0x20 }
        if c >= 0x400 && c <= 0x40F { return c + 0x50 }
        return c
    }

    private static func makeTable() -> [UInt8] {
        var t = [UInt8](repeating: boundary, count: 0x10000)
        func set(_ range: ClosedRange<Int>, _ value: UInt8) {
            for c in range { t[c] = value }
        }
        func set(_ scalars: [Int], _ value: UInt8) {
            for c in scalars { t[c] = value }
        }

        // Symbols first; narrower classes below override parts of these blocks.
        set(0x21...0x2F, symbol)
        set(0x3A...0x40, symbol)
        set(0x5B...0x60, symbol)
        set(0x7B...0x7E, symbol)
        set(0xA1...0xBF, symbol)
        set([0xD7, 0xF7], symbol)
        set(0x2010...0x2027, symbol)
        set(0x2030...0x205E, symbol)
        set(0x2070...0x209F, symbol)
        set(0x20A0...0x20CF, symbol)
        set(0x2100...0x218F, symbol)
        set(0x2190...0x23FF, symbol)
        set(0x2460...0x24FF, symbol)
        set(0x2500...0x27BF, symbol)
        set(0x27C0...0x2BFF, symbol)
        set(0x2E80...0x2FDF, symbol)  // radicals: never segmented as words
        set(0x3001...0x303F, symbol)
        set(0x3200...0x33FF, symbol)
        set(0xFE10...0xFE1F, symbol)
        set(0xFE30...0xFE6F, symbol)
        set(0xFF5F...0xFF65, symbol)
        set(0xFFE0...0xFFEE, symbol)

        set(0x00...0x20, space)
        set(0x7F...0xA0, space)
        set([0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000], space)
        set(0x2000...0x200A, space)

        set([0xAD, 0x180E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF], ignorable)
        set(0x200B...0x200D, ignorable)
        set(0xFE00...0xFE0F, ignorable)

        set(0x30...0x39, digit)
        set(0x41...0x5A, letter)
        set(0x61...0x7A, letter)
        set(0xC0...0x24F, letter)
        set([0xD7, 0xF7], symbol)
        set([0xB5], letter)
        set(0x370...0x3FF, letter)
        set(0x400...0x4FF, letter)

        set(0x3400...0x4DBF, cjk)
        set(0x4E00...0x9FFF, cjk)
        set(0xF900...0xFAFF, cjk)
        set([0x3007], cjk)  // 〇, as in 二〇二四

        t[0x2E] = symbol | joiner          // .
        t[0x5F] = symbol | joiner          // _
        t[0x2D] = symbol | joiner | prefix // -
        t[0x2B] = symbol | trailer | prefix // +
        t[0x23] = symbol | trailer         // #
        for c in [0x3C, 0x3E, 0x7E, 0xB1, 0x2213, 0x2248, 0x2264, 0x2265] {
            t[c] = symbol | prefix         // < > ~ ± ∓ ≈ ≤ ≥
        }
        for c in [0x25, 0xB0, 0xB2, 0xB3, 0xB9, 0x2030, 0x2031, 0x2032, 0x2033, 0x2103, 0x2109, 0x2126] {
            t[c] = symbol | suffix         // % ° ² ³ ¹ ‰ ‱ ′ ″ ℃ ℉ Ω
        }
        set(0x3380...0x33DF, symbol | suffix) // ㎎ ㎏ ㎜ ㎝ ㎞ ㎡ …
        return t
    }
}
