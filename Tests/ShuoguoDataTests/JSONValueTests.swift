import Foundation
import ShuoguoData
import Testing

@Suite("Strict JSON parsing and deterministic serialization")
struct JSONValueTests {
    private func parseError(_ text: String) -> JSONParseError? {
        do {
            _ = try JSONValue(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test("scalars and containers parse to the expected values")
    func values() throws {
        #expect(try JSONValue(parsing: "null") == .null)
        #expect(try JSONValue(parsing: " true ") == .bool(true))
        #expect(try JSONValue(parsing: "false") == .bool(false))
        #expect(try JSONValue(parsing: "[1, -2.5, 3e2, 0]") == .array([.number(1), .number(-2.5), .number(300), .number(0)]))
        #expect(try JSONValue(parsing: #"{"a":{"b":[]},"c":"d"}"#)
            == .object(["a": .object(["b": .array([])]), "c": .string("d")]))
        #expect(try JSONValue(parsing: "\t\r\n{}\n") == .object([:]))
    }

    @Test("numbers: grammar, precision, overflow and underflow")
    func numbers() throws {
        #expect(try JSONValue(parsing: "-0") == .number(-0.0))
        #expect(try JSONValue(parsing: "0.1") == .number(0.1))
        #expect(try JSONValue(parsing: "1E+3") == .number(1000))
        #expect(try JSONValue(parsing: "123456789012345678") == .number(123456789012345680))  // nearest Double
        #expect(try JSONValue(parsing: "999999999999999") == .number(999_999_999_999_999))
        #expect(try JSONValue(parsing: "1e-400") == .number(0))
        #expect(try JSONValue(parsing: "1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
        #expect(parseError("1e400")?.description == "number '1e400' is out of range at byte 1")
        #expect(parseError("[-1e999]")?.kind == .semantic)
        #expect(parseError("01")?.description == "invalid number, leading zeros are not allowed at byte 1")
        #expect(parseError("1.")?.description == "invalid number, expected a digit after '.' at byte 3")
        #expect(parseError("-")?.description == "invalid number, expected a digit at byte 2")
        #expect(parseError("1e")?.description == "invalid number, expected a digit in the exponent at byte 3")
        #expect(parseError("+1")?.description == "unexpected '+', expected a value at byte 1")
        #expect(parseError(".5")?.kind == .syntax)
        #expect(parseError("NaN")?.kind == .syntax)
        #expect(parseError("Infinity")?.kind == .syntax)
    }

    @Test("strings: escapes, surrogate pairs, and what must be escaped")
    func strings() throws {
        #expect(try JSONValue(parsing: #""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try JSONValue(parsing: #""\u00e9\u6D77\ud83c\udf0a\u0000""#) == .string("é海🌊\u{0}"))
        #expect(try JSONValue(parsing: "\"海洋🌊\"") == .string("海洋🌊"))
        #expect(parseError(#""\ud800""#)?.description == #"unpaired surrogate \uD800 in a string at byte 2"#)
        #expect(parseError(#""\udc00x""#)?.kind == .semantic)
        #expect(parseError(#""\ud800\u0041""#)?.kind == .semantic)
        #expect(parseError(#""\x41""#)?.description == #"invalid escape sequence '\x' at byte 2"#)
        #expect(parseError(#""\u12""#)?.description == #"incomplete \u escape, expected four hex digits at byte 2"#)
        #expect(parseError(#""\u12G4""#)?.description == #"invalid \u escape, expected four hex digits at byte 2"#)
        #expect(parseError("\"a\u{0}b\"")?.description
            == "raw control character U+0000 in a string (must be escaped) at byte 3")
        #expect(parseError("\"tab\there\"")?.kind == .syntax)
        #expect(parseError("\"open")?.description == "unterminated string (opened at byte 1) at byte 1")
    }

    @Test("structure errors name the byte where parsing stopped")
    func structure() {
        #expect(parseError("")?.description == "empty input at byte 1")
        #expect(parseError(#"{"a" 1}"#)?.description == "unexpected '1', expected ':' after an object key at byte 6")
        #expect(parseError(#"{"a":1,}"#)?.description == "unexpected '}', expected a quoted object key at byte 8")
        #expect(parseError("[1,]")?.description == "unexpected ']', expected a value at byte 4")
        #expect(parseError("[1 2]")?.description == "unexpected '2', expected ',' or ']' in an array at byte 4")
        #expect(parseError(#"{"a":1"#)?.description == "unterminated object (opened at byte 1) at byte 7")
        #expect(parseError("{'a':1}")?.description == "unexpected ''', expected a quoted object key at byte 2")
        #expect(parseError("{} x")?.description == "unexpected 'x' after the end of the JSON value at byte 4")
        #expect(parseError("tru")?.description == "invalid literal, expected 'true' at byte 1")
        #expect(parseError("nul")?.kind == .syntax)
        #expect(parseError("// note\n{}")?.kind == .syntax)
        #expect(parseError("\u{FEFF}{}")?.description == "unexpected U+FEFF (byte order mark), expected a value at byte 1")
        #expect(parseError("\u{3000}{}")?.description == "unexpected '\u{3000}' (U+3000), expected a value at byte 1")
    }

    @Test("duplicate keys are refused, and the outermost key is reported")
    func duplicateKeys() {
        let flat = parseError(#"{"id":"A","title":"x","title":"y"}"#)
        #expect(flat?.description == "duplicate key 'title' at byte 23")
        #expect(flat?.topLevelKey == "title")
        let nested = parseError(#"{"id":"A","meta":{"k":1,"k":2}}"#)
        #expect(nested?.topLevelKey == "meta")
        #expect(nested?.kind == .semantic)
        #expect((try? JSONValue(parsing: #"{"a":{"k":1},"b":{"k":1}}"#)) != nil)
    }

    @Test("nesting is limited to 64 levels without exhausting the stack")
    func nesting() throws {
        let limit = JSONValue.maximumNestingDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect((try? JSONValue(parsing: deepest)) != nil)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(parseError(tooDeep)?.description == "nesting deeper than 64 levels at byte 65")
        let hostile = String(repeating: "{\"a\":", count: 200_000)
        #expect(parseError(hostile)?.kind == .semantic)
    }

    @Test("invalid UTF-8 is found before parsing, with its offset")
    func invalidUTF8() {
        func error(_ bytes: [UInt8]) -> JSONParseError? {
            do {
                _ = try JSONValue(parsing: bytes)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([0x22, 0x61, 0xFF, 0x22]) == JSONParseError(offset: 3, message: "invalid UTF-8", kind: .encoding))
        #expect(error([0x22, 0xC0, 0xAF, 0x22])?.offset == 2)           // overlong '/'
        #expect(error([0x22, 0xED, 0xA0, 0x80, 0x22])?.offset == 2)     // encoded surrogate
        #expect(error([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22])?.offset == 2) // above U+10FFFF
        #expect(error([0x22, 0xE6, 0xB5])?.offset == 2)                 // cut in the middle
        #expect(error([0x22, 0x80, 0x22])?.offset == 2)                 // lone continuation byte
        #expect(error([0x22, 0xF0, 0x9F, 0x8C, 0x8A, 0x22]) == nil)     // 🌊
    }

    @Test("serialization sorts keys by UTF-8 bytes and is stable")
    func serialization() throws {
        let value = JSONValue.object([
            "b": .number(1), "a": .array([.bool(true), .null, .number(0.5)]), "é": .string("x"),
            "Z": .object(["y": .number(-3), "x": .string("")]), "e\u{301}x": .number(100),
        ])
        // By bytes "e" + U+0301 + "x" sorts before "é" (0x65 < 0xC3); Swift's `<` would put it after.
        #expect(value.serialized == #"{"Z":{"x":"","y":-3},"a":[true,null,0.5],"b":1,"e"# + "\u{301}" + #"x":100,"é":"x"}"#)
        #expect(JSONValue.number(1e15).serialized == "1000000000000000")
        #expect(JSONValue.number(1e16).serialized == "1e+16")
        #expect(JSONValue.number(1e300).serialized == "1e+300")
        #expect(JSONValue.number(-0.0).serialized == "0")
        #expect(JSONValue.number(12.25).serialized == "12.25")
        #expect(JSONValue.string("a\"b\\c\n\u{1}\u{2028}海").serialized == #""a\"b\\c\n\u0001\u2028海""#)
        for text in [value.serialized, JSONValue.string("\u{0}\u{1F}\u{7F}\u{2029}").serialized] {
            #expect(try JSONValue(parsing: text).serialized == text)
        }
    }

    @Test("Codable encodes the plain JSON the value stands for")
    func codable() throws {
        let value = JSONValue.object(["k": .array([.number(2), .string("海"), .null, .bool(false)])])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONValue(parsing: data) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}
