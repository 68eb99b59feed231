/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in broad terms.
    public enum Kind: Sendable, Equatable {
        /// The bytes are not valid UTF-8.
        case encoding
        /// The text breaks the JSON grammar (including raw control characters in strings).
        case syntax
        /// The text is grammatical but cannot be accepted: duplicate key, number out of
        /// range, unpaired surrogate escape, nesting too deep.
        case semantic
    }

    /// 1-based byte offset in the parsed text where the problem was found.
    public var offset: Int
    /// What went wrong, without the offset: `expected ':' after an object key`.
    public var message: String
    public var kind: Kind
    /// For a semantic problem inside the value of a member of the outermost object: that
    /// member's key. Lets a record reader attribute the problem to a field.
    public var topLevelKey: String?

    public init(offset: Int, message: String, kind: Kind, topLevelKey: String? = nil) {
        self.offset = offset
        self.message = message
        self.kind = kind
        self.topLevelKey = topLevelKey
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// A strict recursive-descent JSON parser over UTF-8 bytes that were already validated.
///
/// Recursion depth is bounded by ``JSONValue/maximumNestingDepth``, so hostile input cannot
/// overflow the stack.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var currentTopLevelKey: String?

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        if position == bytes.count {
            throw syntaxError("empty input")
        }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count {
            throw syntaxError("unexpected \(describeByte(at: position)) after the end of the JSON value")
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else {
            throw syntaxError("unexpected end of line, expected a value")
        }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw syntaxError("unexpected \(describeByte(at: position)), expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        let start = position
        try checkDepth(depth)
        position += 1
        // Records have about 16 members; sizing the outermost table up front saves rehashing.
        var members = [String: JSONValue](minimumCapacity: depth == 1 ? 24 : 0)
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw syntaxError("unterminated object (opened at byte \(start + 1))")
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw syntaxError("unexpected \(describeByte(at: position)), expected a quoted object key")
            }
            let keyOffset = position
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw syntaxError(position < bytes.count
                    ? "unexpected \(describeByte(at: position)), expected ':' after an object key"
                    : "unexpected end of line, expected ':' after an object key")
            }
            position += 1
            skipWhitespace()
            if depth == 1 { currentTopLevelKey = key }
            let value = try parseValue(depth: depth)
            if members.updateValue(value, forKey: key) != nil {
                throw JSONParseError(
                    offset: keyOffset + 1, message: "duplicate key \(quotedForMessage(key))",
                    kind: .semantic, topLevelKey: currentTopLevelKey)
            }
            skipWhitespace()
            guard position < bytes.count else {
                throw syntaxError("unterminated object (opened at byte \(start + 1))")
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                if depth == 1 { currentTopLevelKey = nil }
                return .object(members)
            default:
                throw syntaxError("unexpected \(describeByte(at: position)), expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        let start = position
        try checkDepth(depth)
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else {
                throw syntaxError("unterminated array (opened at byte \(start + 1))")
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(items)
            default:
                throw syntaxError("unexpected \(describeByte(at: position)), expected ',' or ']' in an array")
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > JSONValue.maximumNestingDepth {
            throw JSONParseError(
                offset: position + 1,
                message: "nesting deeper than \(JSONValue.maximumNestingDepth) levels",
                kind: .semantic, topLevelKey: currentTopLevelKey)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            guard bytes.count - position >= count else { return false }
            for index in 0..<count where bytes[position + index] != expected[index] {
                return false
            }
            return true
        }
        guard matches else {
            position = start
            throw syntaxError("invalid literal, expected '\(literal)'")
        }
        position += count
    }

    // MARK: - Strings

    /// Parses a string literal starting at the opening quote. Strings without escapes
    /// (the common case) are decoded straight from the input bytes.
    private mutating func parseString() throws(JSONParseError) -> String {
        let open = position
        position += 1
        let contentStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(open: open, contentStart: contentStart)
            }
            if byte < 0x20 {
                throw controlCharacterError(byte)
            }
            position += 1
        }
        throw syntaxError("unterminated string (opened at byte \(open + 1))", at: open)
    }

    private mutating func parseEscapedString(open: Int, contentStart: Int) throws(JSONParseError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(position - contentStart + 16)
        var runStart = contentStart
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                // Copy the run of plain bytes before this one in one go.
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: buffer, as: UTF8.self)
                }
                if byte < 0x20 {
                    throw controlCharacterError(byte)
                }
                try parseEscape(into: &buffer)
                runStart = position
            } else {
                position += 1
            }
        }
        throw syntaxError("unterminated string (opened at byte \(open + 1))", at: open)
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else {
            throw syntaxError("unterminated escape sequence", at: escapeStart)
        }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHex4(escapeStart: escapeStart)
            var scalarValue = UInt32(first)
            if (0xD800...0xDBFF).contains(first) {
                let lowStart = position
                guard position + 1 < bytes.count,
                      bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw surrogateError(first, at: escapeStart)
                }
                position += 2
                let second = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw surrogateError(first, at: escapeStart)
                }
                scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw surrogateError(first, at: escapeStart)
            }
            // Every value left is a valid scalar: surrogates were handled above.
            let scalar = Unicode.Scalar(scalarValue)!
            buffer.append(contentsOf: UTF8.encode(scalar)!)
        default:
            throw syntaxError("invalid escape sequence '\\\(describeEscapeLetter(letter))'", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard bytes.count - position >= 4 else {
            throw syntaxError("incomplete \\u escape, expected four hex digits", at: escapeStart)
        }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw syntaxError("invalid \\u escape, expected four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    private func surrogateError(_ unit: UInt16, at offset: Int) -> JSONParseError {
        JSONParseError(
            offset: offset + 1,
            message: "unpaired surrogate \\u\(String(unit, radix: 16, uppercase: true)) in a string",
            kind: .semantic, topLevelKey: currentTopLevelKey)
    }

    private func controlCharacterError(_ byte: UInt8) -> JSONParseError {
        syntaxError("raw control character U+\(hex4(byte)) in a string (must be escaped)")
    }

    private func describeEscapeLetter(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "U+" + hex4(byte)
    }

    // MARK: - Numbers

    /// Checks the RFC 8259 number grammar, then converts. Short integers (the common case)
    /// are accumulated directly; others go through the C-locale `Double(_:)` conversion.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw syntaxError("invalid number, expected a digit", at: position)
        }
        var integerDigits = 0
        var integerValue: Int64 = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            integerDigits = 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw syntaxError("invalid number, leading zeros are not allowed", at: start)
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                if integerDigits < 18 {
                    integerValue = integerValue * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
                }
                integerDigits += 1
                position += 1
            }
        }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw syntaxError("invalid number, expected a digit after '.'", at: position)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw syntaxError("invalid number, expected a digit in the exponent", at: position)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if isInteger, integerDigits <= 15 {
            let magnitude = Double(integerValue)
            return negative ? -magnitude : magnitude
        }
        let lexeme = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(lexeme), value.isFinite else {
            throw JSONParseError(
                offset: start + 1, message: "number \(quotedForMessage(lexeme, limit: 30)) is out of range",
                kind: .semantic, topLevelKey: currentTopLevelKey)
        }
        return value
    }

    // MARK: - Bytes

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private func syntaxError(_ message: String) -> JSONParseError {
        syntaxError(message, at: position)
    }

    private func syntaxError(_ message: String, at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset + 1, message: message, kind: .syntax)
    }

    /// Names the character at `offset` for a message: `'x'` for printable ASCII, `U+0000`
    /// for controls, and the full scalar (`U+FEFF byte order mark`) for non-ASCII input.
    private func describeByte(at offset: Int) -> String {
        let byte = bytes[offset]
        if (0x21...0x7E).contains(byte) {
            return "'\(UnicodeScalar(byte))'"
        }
        if byte < 0x80 {
            return "U+" + hex4(byte)
        }
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
            if scalar == "\u{FEFF}" { return code + " (byte order mark)" }
            return "'\(scalar)' (\(code))"
        }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private func hex4(_ byte: UInt8) -> String {
        String(byte, radix: 16, uppercase: true).leftPadded(to: 4)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// UTF-8 validation that reports where the first bad sequence starts (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// 0-based offset of the first byte of the first invalid sequence, or `nil`.
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                // Skip ASCII eight bytes at a time.
                if let base = bytes.baseAddress {
                    while count - index >= 8,
                          UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                        index += 8
                    }
                }
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard count - index >= length else { return index }
            let second = bytes[index + 1]
            guard second >= lower, second <= upper else { return index }
            for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }
}
