/// One unit of analysed text.
///
/// `start` and `end` are offsets in **Unicode scalars (code points) of the original input
/// string**, half-open: the token covers `Array(input.unicodeScalars)[start..<end]`. They are
/// not `Character` (grapheme) offsets, not UTF-8 bytes and not UTF-16 code units. A
/// supplementary-plane ideograph such as 𠀀 counts as one.
///
/// `text` is the *normalized* form (see ``TextNormalizer``): full-width ASCII folded, Latin
/// lower-cased, HTML residue removed, whitespace between CJK characters dropped. Normalizing
/// the original scalars in `start..<end` gives back exactly `text`.
public struct Token: Hashable, Sendable {
    /// What produced a token. Callers filter on it; ``Analyzer/terms(_:)`` keeps every kind
    /// but `.symbol`.
    public enum Kind: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// A lexicon word on the best segmentation path, or a lone CJK character that joined
        /// no word.
        case word
        /// A lexicon word of two or three characters found inside a longer word; index mode only.
        case subword
        /// A token that starts with a letter: abbreviations and identifiers ("pem", "evtol",
        /// "igbt", "mos2", "li-ion", "c++").
        case latin
        /// A token that starts with a digit or with a comparison sign or sign followed by a
        /// digit, with its unit attached when the unit is written in Latin letters or unit
        /// symbols ("5g", "0.1mm", "300℃", "≥95%", "-40℃", "1,200"). Chinese measure words
        /// are not attached: "1200亿元" is "1200" followed by the word "亿元".
        case number
        /// Two adjacent CJK characters from a stretch of characters that joined no lexicon word.
        case bigram
        /// One punctuation mark or symbol.
        case symbol

        public var description: String {
            switch self {
            case .word: "word"
            case .subword: "subword"
            case .latin: "latin"
            case .number: "number"
            case .bigram: "bigram"
            case .symbol: "symbol"
            }
        }
    }

    /// The normalized token text.
    public let text: String
    /// First scalar of the token in the original string.
    public let start: Int
    /// One past the last scalar of the token in the original string.
    public let end: Int
    public let kind: Kind

    public init(text: String, start: Int, end: Int, kind: Kind) {
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind
    }
}

extension Token: CustomStringConvertible {
    /// `text@start..<end:kind`, for diagnostics and test failures.
    public var description: String { "\(text)@\(start)..<\(end):\(kind)" }
}
