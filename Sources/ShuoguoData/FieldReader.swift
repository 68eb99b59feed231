/// Reads typed fields out of one JSON object, collecting one ``FieldProblem`` per bad field
/// instead of stopping at the first.
struct FieldReader {
    private let object: [String: JSONValue]
    private(set) var problems: [FieldProblem] = []
    /// How many of the object's keys the reads so far have found.
    private var foundKeys = 0

    init(_ object: [String: JSONValue]) {
        self.object = object
    }

    private mutating func fail(_ field: String, _ reason: String) {
        problems.append(FieldProblem(field: field, reason: reason))
    }

    private mutating func lookUp(_ key: String) -> JSONValue? {
        let value = object[key]
        if value != nil { foundKeys += 1 }
        return value
    }

    /// The value of an optional field; `null` counts as absent.
    private mutating func present(_ key: String) -> JSONValue? {
        guard let value = lookUp(key), value != .null else { return nil }
        return value
    }

    /// Members that are not format fields. Call after reading every format field once.
    func unknownFields(known: Set<String>) -> [String: JSONValue] {
        // The usual record has no unknown members: skip the filtering pass then.
        if foundKeys == object.count { return [:] }
        return object.filter { !known.contains($0.key) }
    }

    // MARK: Required fields

    mutating func requiredString(_ key: String) -> String? {
        guard let value = lookUp(key) else {
            fail(key, "missing required field")
            return nil
        }
        guard case .string(let text) = value else {
            fail(key, "expected a string, got \(value.shortDescription)")
            return nil
        }
        return text
    }

    mutating func identifier() -> String? {
        guard let id = requiredString("id") else { return nil }
        if let reason = Identifier.problem(with: id) {
            fail("id", reason)
            return nil
        }
        return id
    }

    mutating func title() -> String? {
        guard let title = requiredString("title") else { return nil }
        if title.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            fail("title", title.isEmpty ? "must not be empty" : "must not be whitespace only")
            return nil
        }
        return title
    }

    // MARK: Optional fields

    mutating func string(_ key: String) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else {
            fail(key, "expected a string, got \(value.shortDescription)")
            return nil
        }
        return text
    }

    mutating func boolean(_ key: String) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else {
            fail(key, "expected true or false, got \(value.shortDescription)")
            return nil
        }
        return flag
    }

    /// An integer 1–5. A number with a zero fraction (`3.0`) counts as an integer, as in
    /// JSON Schema; `3.5`, `"3"` and `true` do not.
    mutating func level(_ key: String) -> Int? {
        guard let value = present(key) else { return nil }
        guard case .number(let number) = value, number == number.rounded() else {
            fail(key, "expected an integer 1–5, got \(value.shortDescription)")
            return nil
        }
        guard number >= 1, number <= 5 else {
            fail(key, "must be between 1 and 5, got \(JSONValue.format(number))")
            return nil
        }
        return Int(number)
    }

    mutating func nonNegativeNumber(_ key: String) -> Double? {
        guard let value = present(key) else { return nil }
        guard case .number(let number) = value else {
            fail(key, "expected a number, got \(value.shortDescription)")
            return nil
        }
        guard number >= 0 else {
            fail(key, "must be ≥ 0, got \(JSONValue.format(number))")
            return nil
        }
        return number
    }

    mutating func date(_ key: String) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else {
            fail(key, "expected a date string YYYY-MM-DD, got \(value.shortDescription)")
            return nil
        }
        switch CalendarDate.check(text) {
        case .valid:
            return text
        case .badShape:
            fail(key, "expected YYYY-MM-DD, got \(quotedForMessage(text))")
        case .notOnCalendar:
            fail(key, "\(quotedForMessage(text)) is not a calendar date")
        }
        return nil
    }

    mutating func enumeration<E: FormatEnumeration>(_ key: String, as type: E.Type) -> E? {
        guard let value = present(key) else { return nil }
        guard case .string(let raw) = value else {
            fail(key, "expected a string, got \(value.shortDescription)")
            return nil
        }
        guard let parsed = E(rawValue: raw) else {
            fail(key, "unknown value \(quotedForMessage(raw)) (allowed: \(E.allowedValuesList))")
            return nil
        }
        return parsed
    }

    // MARK: Arrays

    /// Reads an array of strings; repeats are dropped, first occurrences keep their order.
    mutating func stringArray(_ key: String) -> [String] {
        guard let items = arrayItems(key) else { return [] }
        var result: [String] = []
        var badIndices: [Int] = []
        // Keyword lists are short: a linear scan beats hashing, which normalises non-ASCII
        // text. Long lists switch to a set to stay O(n).
        var seen: Set<String>? = items.count > 32 ? [] : nil
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                badIndices.append(index)
                continue
            }
            let isNew = seen != nil ? seen!.insert(text).inserted : !result.contains(text)
            if isNew { result.append(text) }
        }
        if let first = badIndices.first {
            fail(key, "expected an array of strings, element at index \(first) is \(items[first].shortDescription)"
                + moreInvalid(badIndices.count - 1))
            return []
        }
        return result
    }

    /// Reads an array of enumeration values; repeats are dropped, first occurrences keep
    /// their order (so the first industry stays the primary one).
    mutating func enumerationArray<E: FormatEnumeration>(_ key: String, as type: E.Type) -> [E] {
        guard let items = arrayItems(key) else { return [] }
        var result: [E] = []
        var firstProblem: String?
        var problemCount = 0
        for (index, item) in items.enumerated() {
            guard case .string(let raw) = item else {
                problemCount += 1
                if firstProblem == nil {
                    firstProblem = "expected an array of strings, element at index \(index) is \(item.shortDescription)"
                }
                continue
            }
            guard let parsed = E(rawValue: raw) else {
                problemCount += 1
                if firstProblem == nil {
                    firstProblem = "unknown value \(quotedForMessage(raw)) at index \(index) (allowed: \(E.allowedValuesList))"
                }
                continue
            }
            if !result.contains(parsed) { result.append(parsed) }
        }
        if let firstProblem {
            fail(key, firstProblem + moreInvalid(problemCount - 1))
            return []
        }
        return result
    }

    private mutating func arrayItems(_ key: String) -> [JSONValue]? {
        guard let value = present(key) else { return nil }
        guard case .array(let items) = value else {
            fail(key, "expected an array, got \(value.shortDescription)")
            return nil
        }
        return items
    }

    private func moreInvalid(_ count: Int) -> String {
        switch count {
        case 0: ""
        case 1: "; 1 more invalid element"
        default: "; \(count) more invalid elements"
        }
    }
}

/// The identifier rule: 1–64 characters of `[A-Za-z0-9_.:-]`.
public enum Identifier {
    public static let maximumLength = 64

    public static func isValid(_ id: String) -> Bool {
        problem(with: id) == nil
    }

    /// Why `id` breaks the rule, or `nil` if it does not.
    static func problem(with id: String) -> String? {
        if id.isEmpty { return "must not be empty" }
        for scalar in id.unicodeScalars where !isAllowed(scalar) {
            let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
            return "contains \(quotedForMessage(String(scalar))) (\(code)); allowed are A–Z, a–z, 0–9 and _ . : -"
        }
        if id.utf8.count > maximumLength {
            return "is \(id.utf8.count) characters long, at most \(maximumLength) allowed"
        }
        return nil
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", ":", "-": true
        default: false
        }
    }
}

/// The `YYYY-MM-DD` rule: four-digit year, two-digit month and day, a day that exists in
/// the proleptic Gregorian calendar (so `2024-02-29` is valid, `2023-02-29` is not).
public enum CalendarDate {
    enum Verdict { case valid, badShape, notOnCalendar }

    public static func isValid(_ text: String) -> Bool {
        check(text) == .valid
    }

    static func check(_ text: String) -> Verdict {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return .badShape
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
            return .badShape
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
            return .notOnCalendar
        }
        return .valid
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}
