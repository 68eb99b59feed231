import Foundation

/// A JSON value as read from, or written to, an interchange file.
///
/// Numbers are held as `Double` (IEEE 754 binary64). Integers up to 2⁵³ in magnitude are
/// exact; larger ones round to the nearest representable value. Numbers that overflow
/// `Double` (such as `1e400`) are rejected by the parser rather than turned into infinity;
/// numbers that underflow (such as `1e-400`) become zero.
///
/// `Codable` conformance uses the single-value container, so a `JSONValue` nested in
/// another `Codable` type encodes as the plain JSON it stands for.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Parses one complete JSON text (RFC 8259) from UTF-8 bytes.
    ///
    /// The parser is strict: no comments, no trailing commas, no `NaN`, no leading `+`,
    /// no raw control characters inside strings, no unpaired surrogate escapes.
    /// Duplicate keys in one object are an error, because readers disagree about which
    /// value wins; keys are compared as Swift strings, so canonically equivalent spellings
    /// (`é` precomposed and decomposed) count as the same key. Nesting deeper than ``maximumNestingDepth`` is an error, which bounds
    /// the parser's recursion.
    ///
    /// - Complexity: O(n) in the length of `bytes`.
    public init<Bytes: Collection>(parsing bytes: Bytes) throws(JSONParseError) where Bytes.Element == UInt8 {
        let contiguous = Array(bytes)
        self = try contiguous.withUnsafeBufferPointer { buffer throws(JSONParseError) -> JSONValue in
            try JSONValue.parse(buffer)
        }
    }

    /// Parses one complete JSON text from a string.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: text.utf8)
    }

    /// Objects and arrays may nest this deep (the outermost object counts as level 1).
    public static let maximumNestingDepth = 64

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        if let bad = UTF8Validation.firstInvalidOffset(in: buffer) {
            throw JSONParseError(offset: bad + 1, message: "invalid UTF-8", kind: .encoding)
        }
        var parser = JSONParser(buffer)
        return try parser.parseDocument()
    }
}

extension JSONValue {
    /// The compact JSON text of this value: no insignificant whitespace, object keys sorted
    /// by their UTF-8 bytes, strings escaped as in ``JSONValue/escaped(_:)``, numbers in
    /// the shortest form that reads back to the same `Double` (integral values below 2⁵³
    /// without a fraction). The same value always gives the same bytes.
    public var serialized: String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON text to a UTF-8 byte buffer.
    func write(to out: inout [UInt8]) {
        switch self {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let value):
            out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value):
            out.append(contentsOf: JSONValue.format(value).utf8)
        case .string(let value):
            JSONValue.writeString(value, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in JSONValue.sortedKeys(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Keys in the order of their UTF-8 bytes. `String`'s own `<` orders canonical
    /// equivalents by their normalised form, which is not the byte order other tools use.
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted(by: utf8Precedes)
    }

    static func utf8Precedes(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                let common = min(left.count, right.count)
                if common > 0 {
                    let order = memcmp(left.baseAddress!, right.baseAddress!, common)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
    }

    /// Formats a finite number. Integral values of magnitude below 2⁵³ print as integers;
    /// everything else uses Swift's shortest round-trip representation, which is valid JSON.
    static func format(_ value: Double) -> String {
        precondition(value.isFinite, "JSON has no representation for \(value)")
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return value.description
    }

    /// Appends `"…"` with the escapes of ``escaped(_:)``. Works on UTF-8 bytes and copies
    /// runs that need no escaping in one go.
    static func writeString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let escape: StaticString?
                var length = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0x00..<0x20: escape = nil
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    length = 3
                default:
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                if let escape {
                    escape.withUTF8Buffer { out.append(contentsOf: $0) }
                } else {
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0xF))
                }
                index += length
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Escapes a string for a JSON string literal (without the quotes): `"` and `\`,
    /// control characters below U+0020 (as `\n`, `\t`, … or `\u00XX`), and the line and
    /// paragraph separators U+2028/U+2029 (so that no line-splitting tool breaks a record).
    /// Everything else, Chinese text included, is written as UTF-8.
    public static func escaped(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        writeString(value, to: &out)
        return String(decoding: out[1..<(out.count - 1)], as: UTF8.self)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// A short phrase naming the value's type and, for scalars, the value itself, for use in
    /// error messages: `number 3.5`, `string '3'`, `true`, `null`, `an array`, `an object`.
    public var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return "number \(JSONValue.format(value))"
        case .string(let value): return "string \(quotedForMessage(value))"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Quotes a value for an error message: single quotes, control and invisible format
/// characters shown as `\u{…}`, and anything past 60 characters cut with `…`, so a message
/// always stays on one readable line.
func quotedForMessage(_ value: String, limit: Int = 60) -> String {
    var out = "'"
    var count = 0
    for scalar in value.unicodeScalars {
        if count == limit {
            out += "…"
            break
        }
        count += 1
        let category = scalar.properties.generalCategory
        if category == .control || category == .format || category == .lineSeparator
            || category == .paragraphSeparator || category == .surrogate || category == .unassigned {
            out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out + "'"
}
