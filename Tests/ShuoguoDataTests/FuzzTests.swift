import Foundation
import ShuoguoData
import Testing

/// Random text that stresses encoders and decoders: Chinese, supplementary-plane ideographs,
/// emoji (with ZWJ sequences), combining marks, right-to-left text and overrides, control
/// characters including U+0000, quotes and backslashes, separators and byte order marks.
struct TextFuzzer {
    private static let pools: [ClosedRange<UInt32>] = [
        0x20...0x7E,         // printable ASCII, includes " and \
        0x4E00...0x9FA5,     // CJK unified ideographs
        0x20000...0x2A6DF,   // CJK extension B (4 bytes in UTF-8)
        0x1F300...0x1F64F,   // emoji
        0x0300...0x036F,     // combining diacritics
        0x0627...0x064A,     // Arabic letters
        0x05D0...0x05EA,     // Hebrew letters
        0x00...0x1F,         // C0 controls, U+0000 included
        0x3000...0x3000,     // ideographic space
    ]
    private static let specials: [String] = [
        "\u{202E}", "\u{200F}", "\u{2067}", "\u{FEFF}", "\u{2028}", "\u{2029}", "\u{7F}", "\u{A0}",
        "\u{FFFD}", "\u{FFFF}", "👩‍🔬", "🇨🇳", "e\u{301}", "\\u0000", "\"", "\\", "\r\n", "}", "\"}",
    ]

    /// Fragments of 0–7 random scalars, made once; texts are strung together from them,
    /// which keeps generation fast in debug builds while mixing every kind of character.
    private static let fragments: [String] = {
        var rng = SplitMix64(seed: 0xF4A6_0E27)
        return (0..<4096).map { _ in
            var out = ""
            for _ in 0..<rng.below(8) {
                if rng.chance(1, in: 12) {
                    out += rng.pick(specials)
                } else {
                    let pool = pools[rng.below(pools.count)]
                    let offset = UInt32(rng.below(Int(pool.upperBound - pool.lowerBound) + 1))
                    out.unicodeScalars.append(Unicode.Scalar(pool.lowerBound + offset)!)
                }
            }
            return out
        }
    }()

    /// Random text of roughly up to `maxScalars` scalars.
    static func text(_ rng: inout SplitMix64, maxScalars: Int) -> String {
        var out = ""
        for _ in 0..<rng.below(maxScalars / 4 + 2) {
            out += fragments[rng.below(fragments.count)]
        }
        return out
    }

    /// Text that is never blank: starts with an ideograph.
    static func title(_ rng: inout SplitMix64) -> String {
        String(Unicode.Scalar(0x4E00 + UInt32(rng.below(0x51A6)))!) + text(&rng, maxScalars: 30)
    }

    static func date(_ rng: inout SplitMix64) -> String {
        let year = rng.inRange(1990...2035)
        let month = rng.inRange(1...12)
        let days = [31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let day = rng.inRange(1...days[month - 1])
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    static func number(_ rng: inout SplitMix64) -> Double {
        switch rng.below(4) {
        case 0: return Double(rng.inRange(-1_000_000...1_000_000))
        case 1: return Double(rng.inRange(0...4000)) / 8
        default:
            while true {
                let value = Double(bitPattern: rng.next())
                if value.isFinite { return value }
            }
        }
    }

    static func jsonValue(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch rng.below(depth >= 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.chance(1, in: 2))
        case 2: return .number(number(&rng))
        case 3: return .string(text(&rng, maxScalars: 12))
        case 4: return .array((0..<rng.below(4)).map { _ in jsonValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<rng.below(4) {
                members[text(&rng, maxScalars: 6)] = jsonValue(&rng, depth: depth + 1)
            }
            return .object(members)
        }
    }

    /// Unknown members, keyed `x_…` so they never collide with format fields.
    static func extra(_ rng: inout SplitMix64) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for index in 0..<rng.below(3) {
            members["x_\(index)_\(rng.below(100))"] = jsonValue(&rng)
        }
        return members
    }

    static func identifier(_ rng: inout SplitMix64, prefix: String, index: Int) -> String {
        let alphabet = Array("abcXYZ_:-")
        var id = "\(prefix)\(index)."
        for _ in 0..<rng.below(64 - id.count + 1) {
            id.append(rng.pick(alphabet))
        }
        return id
    }

    static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// How a fuzzed line must come out.
enum LineExpectation<R> {
    case blank
    case accepted(R)
    /// Rejected; when given, some issue on the line names `field` and its reason starts with `reasonPrefix`.
    case rejected(field: String?, reasonPrefix: String?)
}

/// The typed shape of a record's fields, so mutations know what is a wrong type or value.
enum FieldKind {
    case identifier, title, requiredText, text, strings, level, flag, budget, date
    case enumeration([String]), enumerations([String])
}

protocol Fuzzable: JSONRecord {
    static var idPrefix: String { get }
    static var fieldKinds: [String: FieldKind] { get }
    static func random(_ rng: inout SplitMix64, id: String) -> Self
}

extension Achievement: Fuzzable {
    static let idPrefix = "A"
    static let fieldKinds: [String: FieldKind] = [
        "id": .identifier, "title": .title, "summary": .requiredText, "application": .text, "keywords": .strings,
        "institution": .text, "category": .enumeration(AchievementCategory.allCases.map(\.rawValue)),
        "maturity": .level, "advancement": .level,
        "transfer_modes": .enumerations(TransferMode.allCases.map(\.rawValue)),
        "willingness": .enumeration(Willingness.allCases.map(\.rawValue)),
        "conversion_needs": .enumerations(ConversionNeed.allCases.map(\.rawValue)),
        "industry": .enumerations(Industry.allCases.map(\.rawValue)), "marine": .flag, "region": .text, "date": .date,
    ]

    static func random(_ rng: inout SplitMix64, id: String) -> Achievement {
        func maybe<T>(_ rng: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
            rng.chance(2, in: 3) ? make(&rng) : nil
        }
        // A few summaries are long enough to make lines of well over 100 kB.
        let summary = rng.chance(1, in: 600)
            ? String(repeating: TextFuzzer.text(&rng, maxScalars: 400) + "海", count: 400)
            : TextFuzzer.text(&rng, maxScalars: 120)
        return Achievement(
            id: id, title: TextFuzzer.title(&rng), summary: summary,
            application: maybe(&rng) { TextFuzzer.text(&$0, maxScalars: 40) },
            keywords: TextFuzzer.unique((0..<rng.below(5)).map { _ in TextFuzzer.text(&rng, maxScalars: 6) }),
            institution: maybe(&rng) { TextFuzzer.text(&$0, maxScalars: 20) },
            category: maybe(&rng) { $0.pick(AchievementCategory.allCases) },
            maturity: maybe(&rng) { $0.inRange(1...5) }, advancement: maybe(&rng) { $0.inRange(1...5) },
            transferModes: rng.subset(of: TransferMode.allCases, maxCount: 6),
            willingness: maybe(&rng) { $0.pick(Willingness.allCases) },
            conversionNeeds: rng.subset(of: ConversionNeed.allCases, maxCount: 7),
            industry: rng.subset(of: Industry.allCases, maxCount: 3),
            marine: maybe(&rng) { $0.chance(1, in: 2) }, region: maybe(&rng) { TextFuzzer.text(&$0, maxScalars: 5) },
            date: maybe(&rng) { TextFuzzer.date(&$0) }, extra: TextFuzzer.extra(&rng))
    }
}

extension Need: Fuzzable {
    static let idPrefix = "N"
    static let fieldKinds: [String: FieldKind] = [
        "id": .identifier, "title": .title, "description": .requiredText, "enterprise": .text,
        "enterprise_size": .enumeration(EnterpriseSize.allCases.map(\.rawValue)),
        "channel": .enumeration(NeedChannel.allCases.map(\.rawValue)),
        "problem_type": .enumeration(ProblemType.allCases.map(\.rawValue)),
        "industry": .enumerations(Industry.allCases.map(\.rawValue)), "marine": .flag, "region": .text,
        "budget_wan": .budget, "expected_modes": .enumerations(TransferMode.allCases.map(\.rawValue)),
        "min_maturity": .level, "date": .date,
    ]

    static func random(_ rng: inout SplitMix64, id: String) -> Need {
        func maybe<T>(_ rng: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
            rng.chance(2, in: 3) ? make(&rng) : nil
        }
        return Need(
            id: id, title: TextFuzzer.title(&rng), description: TextFuzzer.text(&rng, maxScalars: 100),
            enterprise: maybe(&rng) { TextFuzzer.text(&$0, maxScalars: 15) },
            enterpriseSize: maybe(&rng) { $0.pick(EnterpriseSize.allCases) },
            channel: maybe(&rng) { $0.pick(NeedChannel.allCases) },
            problemType: maybe(&rng) { $0.pick(ProblemType.allCases) },
            industry: rng.subset(of: Industry.allCases, maxCount: 3), marine: maybe(&rng) { $0.chance(1, in: 2) },
            region: maybe(&rng) { TextFuzzer.text(&$0, maxScalars: 5) },
            budgetWan: maybe(&rng) { abs(TextFuzzer.number(&$0)) },
            expectedModes: rng.subset(of: TransferMode.allCases, maxCount: 6),
            minMaturity: maybe(&rng) { $0.inRange(1...5) }, date: maybe(&rng) { TextFuzzer.date(&$0) },
            extra: TextFuzzer.extra(&rng))
    }
}

/// Builds a file of valid, broken and blank lines, remembering what each line must give.
struct FileFuzzer<R: Fuzzable> {
    var rng: SplitMix64
    var lines: [[UInt8]] = []
    var expectations: [LineExpectation<R>] = []
    private var acceptedIDs: [(id: String, line: Int)] = []

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    private mutating func add(_ bytes: [UInt8], _ expectation: LineExpectation<R>) {
        lines.append(bytes)
        expectations.append(expectation)
        if case .accepted(let record) = expectation {
            acceptedIDs.append((record.id, lines.count))
        }
    }

    private mutating func add(_ text: String, _ expectation: LineExpectation<R>) {
        add(Array(text.utf8), expectation)
    }

    mutating func generate(lineCount: Int) {
        for index in 0..<lineCount {
            let record = R.random(&rng, id: TextFuzzer.identifier(&rng, prefix: R.idPrefix, index: index))
            let valid = JSONLines.encode(record: record)
            switch rng.below(20) {
            case 0...5:
                add(valid, .accepted(record))
            case 6:
                add(foundationEncoded(record.jsonObject), .accepted(record))
            case 7:
                add(loosely(record.jsonObject), .accepted(record))
            case 8:
                add(rng.pick(["", "   ", "\t", "\r", "\u{3000}", " \u{A0} "]), .blank)
            case 9:
                deleteRequired(record.jsonObject)
            case 10:
                wrongType(record.jsonObject)
            case 11:
                badValue(record.jsonObject)
            case 12:
                let cut = rng.inRange(1...(valid.utf8.count - 1))
                add(Array(Array(valid.utf8)[..<cut]), .rejected(field: nil, reasonPrefix: nil))
            case 13:
                var bytes = Array(valid.utf8)
                let bad = rng.pick([[0xFF], [0xFE], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE6, 0xB5]] as [[UInt8]])
                bytes.insert(contentsOf: bad, at: rng.below(bytes.count + 1))
                add(bytes, .rejected(field: nil, reasonPrefix: "invalid UTF-8 at byte"))
            case 14:
                var bytes = Array(valid.utf8)
                let controls: [UInt8] = [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F]
                bytes.insert(rng.pick(controls), at: rng.below(bytes.count + 1))
                add(bytes, .rejected(field: nil, reasonPrefix: nil))
            case 15 where !acceptedIDs.isEmpty:
                let earlier = rng.pick(acceptedIDs)
                let twin = R.random(&rng, id: earlier.id)
                add(JSONLines.encode(record: twin),
                    .rejected(field: "id", reasonPrefix: "duplicate id '\(earlier.id)' (first at line \(earlier.line))"))
            case 16:
                let wrapped = rng.pick(["[\(valid)]", JSONValue.string(valid).serialized, "\(rng.inRange(-9...9))", "null", "false"])
                add(wrapped, .rejected(field: nil, reasonPrefix: "expected a JSON object, got"))
            case 17:
                var object = record.jsonObject
                let depth = rng.inRange(64...400)
                object["x_deep"] = .null
                let text = JSONValue.object(object).serialized.replacingOccurrences(
                    of: #""x_deep":null"#,
                    with: #""x_deep":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
                add(text, .rejected(field: "x_deep", reasonPrefix: "invalid JSON: nesting deeper than 64 levels"))
            case 18:
                let big = rng.pick(["1e\(rng.inRange(309...99_999))", "-1E+400", "2e308", String(repeating: "9", count: 400)])
                let text = String(valid.dropLast()) + #","x_big":"# + big + "}"
                add(text, .rejected(field: "x_big", reasonPrefix: "invalid JSON: number"))
            default:
                let key = rng.pick(["id", "title", record.jsonObject.keys.sorted().first!])
                let text = String(valid.dropLast()) + ",\(JSONValue.string(key).serialized):\(TextFuzzer.jsonValue(&rng).serialized)}"
                add(text, .rejected(field: key, reasonPrefix: "invalid JSON: duplicate key"))
            }
        }
    }

    /// Encoded by Foundation's serializer instead of ours: different escaping and number text.
    private func foundationEncoded(_ object: [String: JSONValue]) -> String {
        func bridge(_ value: JSONValue) -> Any {
            switch value {
            case .null: NSNull()
            case .bool(let flag): flag
            case .number(let number): number
            case .string(let text): text
            case .array(let items): items.map(bridge)
            case .object(let members): members.mapValues(bridge)
            }
        }
        let data = try! JSONSerialization.data(withJSONObject: bridge(.object(object)), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Members in a random order with random insignificant whitespace, and maybe a trailing CR.
    private mutating func loosely(_ object: [String: JSONValue]) -> String {
        var keys = object.keys.sorted()
        for index in keys.indices.reversed() {
            keys.swapAt(index, rng.below(index + 1))
        }
        func space(_ rng: inout SplitMix64) -> String {
            String((0..<rng.below(3)).map { _ in rng.pick([" ", "\t"] as [Character]) })
        }
        var text = space(&rng) + "{"
        for (index, key) in keys.enumerated() {
            if index > 0 { text += "," }
            text += space(&rng) + JSONValue.string(key).serialized + space(&rng) + ":" + space(&rng)
            text += object[key]!.serialized + space(&rng)
        }
        return text + "}" + space(&rng) + (rng.chance(1, in: 3) ? "\r" : "")
    }

    private mutating func deleteRequired(_ object: [String: JSONValue]) {
        var object = object
        let key = rng.pick(R.formatFields.filter { field in
            switch R.fieldKinds[field]! {
            case .identifier, .title, .requiredText: true
            default: false
            }
        })
        object[key] = nil
        add(JSONValue.object(object).serialized, .rejected(field: key, reasonPrefix: "missing required field"))
    }

    private mutating func wrongType(_ object: [String: JSONValue]) {
        var object = object
        let key = rng.pick(R.formatFields)
        let text = JSONValue.string(TextFuzzer.text(&rng, maxScalars: 5))
        let candidates: [JSONValue]
        switch R.fieldKinds[key]! {
        case .identifier, .title, .requiredText:
            candidates = [.null, .number(7), .bool(true), .array([text]), .object([:])]
        case .text, .enumeration, .date:
            candidates = [.number(7), .bool(false), .array([text]), .object(["k": text])]
        case .strings, .enumerations:
            candidates = [text, .number(1), .bool(true), .object([:]), .array([.number(2)]), .array([.null])]
        case .level:
            candidates = [.string("3"), .bool(true), .number(2.5), .array([.number(3)])]
        case .flag:
            candidates = [.string("true"), .number(1), .number(0), .array([])]
        case .budget:
            candidates = [.string("100"), .bool(false), .array([.number(1)])]
        }
        object[key] = rng.pick(candidates)
        add(JSONValue.object(object).serialized, .rejected(field: key, reasonPrefix: nil))
    }

    private mutating func badValue(_ object: [String: JSONValue]) {
        var object = object
        let key = rng.pick(R.formatFields.filter { field in
            switch R.fieldKinds[field]! {
            case .text, .requiredText, .strings: false
            default: true
            }
        })
        let value: JSONValue
        switch R.fieldKinds[key]! {
        case .identifier:
            value = .string(rng.pick(["", "A 1", "成果-1", "A/1", String(repeating: "x", count: 65), "A\u{0}", "Ａ-1"]))
        case .title:
            value = .string(rng.pick(["", " ", "\u{3000}\t", "\n", "\u{A0}"]))
        case .enumeration(let allowed):
            value = .string(rng.pick([rng.pick(allowed).uppercased(), "", " " + rng.pick(allowed), "bad_value", "其他"]))
        case .enumerations(let allowed):
            var items = allowed.prefix(rng.below(3)).map(JSONValue.string)
            items.insert(.string(rng.pick(["unknown", rng.pick(allowed).uppercased(), ""])), at: rng.below(items.count + 1))
            value = .array(items)
        case .level:
            value = .number(rng.pick([0, 6, -1, 100, 1e9, -0.5]))
        case .flag:
            value = .string(rng.pick(["yes", "no", ""]))
        case .budget:
            value = .number(rng.pick([-0.01, -1, -1e12]))
        case .date:
            value = .string(rng.pick(["2023-02-29", "2024-13-01", "2024-00-01", "2024-04-31", "24-01-01", "2024/01/01",
                                      "2024-01-01 ", "", "２０２４-01-01", "2024-1-1", "1900-02-29"]))
        case .text, .requiredText, .strings:
            preconditionFailure("filtered out above")
        }
        object[key] = value
        add(JSONValue.object(object).serialized, .rejected(field: key, reasonPrefix: nil))
    }

    /// The whole file, lines joined by `separator`.
    func file(separator: [UInt8], byteOrderMark: Bool) -> Data {
        var data = Data(byteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
        for (index, line) in lines.enumerated() {
            if index > 0 { data.append(contentsOf: separator) }
            data.append(contentsOf: line)
        }
        return data
    }
}

@Suite("Fuzzing the reader with mutated records")
struct FuzzTests {
    /// Checks every property the reader promises for one fuzzed file.
    private func check<R: Fuzzable>(_ report: LoadReport<R>, against fuzzer: FileFuzzer<R>) {
        var validLines: [Int] = []
        var validRecords: [R] = []
        var invalidLines = Set<Int>()
        var nonBlank = 0
        for (offset, expectation) in fuzzer.expectations.enumerated() {
            switch expectation {
            case .blank:
                continue
            case .accepted(let record):
                validLines.append(offset + 1)
                validRecords.append(record)
            case .rejected:
                invalidLines.insert(offset + 1)
            }
            nonBlank += 1
        }
        #expect(report.accepted + report.rejected == nonBlank)
        #expect(report.rejected == invalidLines.count)
        #expect(report.lines == validLines)
        #expect(report.records.count == validRecords.count)
        for (index, (got, expected)) in zip(report.records, validRecords).enumerated() where got != expected {
            Issue.record("line \(validLines[index]): read \(got.id) differs from the record written (\(expected.id))")
        }
        var issuesByLine: [Int: [RecordIssue]] = [:]
        for issue in report.issues {
            issuesByLine[issue.line, default: []].append(issue)
        }
        #expect(Set(issuesByLine.keys) == invalidLines)
        #expect(report.issues.map(\.line) == report.issues.map(\.line).sorted())
        for (offset, expectation) in fuzzer.expectations.enumerated() {
            guard case .rejected(let field, let prefix) = expectation else { continue }
            let issues = issuesByLine[offset + 1] ?? []
            let matching = issues.filter { issue in
                (field == nil || issue.field == field) && (prefix.map { issue.reason.hasPrefix($0) } ?? true)
            }
            if matching.isEmpty {
                Issue.record("line \(offset + 1): expected field \(field ?? "-") / '\(prefix ?? "-")', got \(issues.map(\.description))")
            }
        }
    }

    @discardableResult
    private func run<R: Fuzzable>(_ type: R.Type, seed: UInt64, lineCount: Int,
                                  read: (Data, String) -> LoadReport<R>) -> FileFuzzer<R> {
        var fuzzer = FileFuzzer<R>(seed: seed)
        fuzzer.generate(lineCount: lineCount)
        let lf = read(fuzzer.file(separator: [0x0A], byteOrderMark: false), "fuzz.jsonl")
        check(lf, against: fuzzer)
        // CRLF endings and a byte order mark change nothing, down to the diagnostics' text.
        let crlf = read(fuzzer.file(separator: [0x0D, 0x0A], byteOrderMark: true), "fuzz.jsonl")
        #expect(crlf.records == lf.records)
        #expect(crlf.lines == lf.lines)
        #expect(crlf.issueLines == lf.issueLines)
        return fuzzer
    }

    @Test("6,000 mutated and valid achievement lines, covering every kind of line")
    func achievements() {
        let fuzzer = run(Achievement.self, seed: 0x5EED_0001, lineCount: 6_000) {
            JSONLines.readAchievements(data: $0, fileName: $1)
        }
        var accepted = 0, blank = 0, rejected = 0
        for expectation in fuzzer.expectations {
            switch expectation {
            case .accepted: accepted += 1
            case .blank: blank += 1
            case .rejected: rejected += 1
            }
        }
        #expect(accepted > 2_000 && rejected > 2_000 && blank > 100)
        #expect(fuzzer.lines.contains { $0.count > 100_000 })
    }

    @Test("3,000 mutated and valid need lines")
    func needs() {
        run(Need.self, seed: 0x5EED_0002, lineCount: 3_000) { JSONLines.readNeeds(data: $0, fileName: $1) }
    }

    @Test("random bytes never crash the reader and every non-blank line is accounted for")
    func randomBytes() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        var bytes: [UInt8] = []
        for _ in 0..<200_000 {
            bytes.append(rng.chance(1, in: 40) ? 0x0A : UInt8(truncatingIfNeeded: rng.next()))
        }
        let report = readAchievements(bytes: bytes)
        #expect(report.accepted == 0)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(report.rejected <= lines.count && report.rejected > lines.count / 2)
        #expect(Set(report.issues.map(\.line)).count == report.rejected)
    }
}
