import Foundation
import ShuoguoData
import Testing

@Suite("JSON Lines reading: robustness of the line layer")
struct JSONLinesTests {
    @Test("an empty file reads as nothing, with a summary")
    func emptyFile() {
        let report = readAchievements("")
        #expect(report.records.isEmpty && report.issues.isEmpty)
        #expect(report.accepted == 0 && report.rejected == 0)
        #expect(report.summary == "a.jsonl: 0 accepted, 0 rejected")
    }

    @Test("blank and whitespace-only lines are skipped but keep line numbers")
    func blankLines() {
        let text = "\n" + achievementLine(id: "A-1") + "\n   \n\t\r\n\u{3000}\u{A0}\n\n" + achievementLine(id: "A-2") + "\n\n"
        let report = readAchievements(text)
        #expect(report.records.map(\.id) == ["A-1", "A-2"])
        #expect(report.lines == [2, 7])
        #expect(report.accepted == 2 && report.rejected == 0 && report.issues.isEmpty)
    }

    @Test("a missing final newline, CRLF endings and a leading byte order mark change nothing")
    func lineEndings() {
        let lines = [achievementLine(id: "A-1"), achievementLine(id: "A-2"), achievementLine(id: "A-3")]
        let plain = readAchievements(lines.joined(separator: "\n") + "\n")
        let noFinalNewline = readAchievements(lines.joined(separator: "\n"))
        let crlf = readAchievements(lines.joined(separator: "\r\n") + "\r\n")
        let bom = readAchievements(bytes: [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n")).utf8))
        #expect(plain.records.count == 3)
        #expect(noFinalNewline == plain)
        #expect(crlf == plain)
        #expect(bom == plain)
        #expect(crlf.records[0].summary == "高通量抗污染复合膜")
    }

    @Test("a byte order mark after the start of the file is an error on its line")
    func strayByteOrderMark() {
        let report = readAchievements(achievementLine(id: "A-1") + "\n\u{FEFF}" + achievementLine(id: "A-2"))
        #expect(report.issueLines == ["a.jsonl:2: invalid JSON: unexpected U+FEFF (byte order mark), expected a value at byte 1"])
        #expect(report.records.map(\.id) == ["A-1"])
    }

    @Test("a UTF-16 file is rejected with a hint on its first line")
    func utf16File() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in (achievementLine() + "\n" + achievementLine(id: "A-2")).utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        let report = readAchievements(bytes: bytes)
        #expect(report.accepted == 0 && report.rejected == 2)
        #expect(report.issues.first?.description
            == "a.jsonl:1: invalid UTF-8 at byte 1 (the file starts with a UTF-16 byte order mark; the format requires UTF-8)")
        #expect(report.issues.last?.line == 2)
    }

    @Test("invalid UTF-8 rejects only its own line")
    func invalidUTF8() {
        let good1 = Array(achievementLine(id: "A-1").utf8)
        var bad = Array(achievementLine(id: "A-2").utf8)
        bad.insert(0xFF, at: 30)
        var cut = Array(achievementLine(id: "A-4").utf8)
        cut.insert(contentsOf: [0xE6, 0xB5], at: 42)
        let good3 = Array(achievementLine(id: "A-3").utf8)
        let report = readAchievements(bytes: good1 + [0x0A] + bad + [0x0A] + good3 + [0x0A] + cut + [0x0A])
        #expect(report.records.map(\.id) == ["A-1", "A-3"])
        #expect(report.issueLines == ["a.jsonl:2: invalid UTF-8 at byte 31", "a.jsonl:4: invalid UTF-8 at byte 43"])
        #expect(report.summary == "a.jsonl: 2 accepted, 2 rejected")
    }

    @Test("NUL bytes: raw ones reject the line, escaped ones are data")
    func nulBytes() {
        var raw = Array(achievementLine(id: "A-1").utf8)
        raw.insert(0x00, at: 8)
        let bytes = raw + [0x0A, 0x00, 0x0A] + Array(#"{"id":"A-2","title":"a\u0000b","summary":""}"#.utf8)
        let report = readAchievements(bytes: bytes)
        #expect(report.issueLines == [
            "a.jsonl:1: invalid JSON: raw control character U+0000 in a string (must be escaped) at byte 9",
            "a.jsonl:2: invalid JSON: unexpected U+0000, expected a value at byte 1",
        ])
        #expect(report.records.map(\.title) == ["a\u{0}b"])
        #expect(report.lines == [3])
    }

    @Test("lines that are JSON but not objects are rejected")
    func notObjects() {
        let text = ["[1,2]", "42", #""A-1""#, "null", "true", "[" + achievementLine() + "]"].joined(separator: "\n")
        let report = readAchievements(text)
        #expect(report.issueLines == [
            "a.jsonl:1: expected a JSON object, got an array",
            "a.jsonl:2: expected a JSON object, got number 42",
            "a.jsonl:3: expected a JSON object, got string 'A-1'",
            "a.jsonl:4: expected a JSON object, got null",
            "a.jsonl:5: expected a JSON object, got true",
            "a.jsonl:6: expected a JSON object, got an array",
        ])
        #expect(report.rejected == 6)
    }

    @Test("broken JSON is reported with the byte where it broke")
    func brokenJSON() {
        let text = [
            #"{"id":"A-1","title":"t""#,
            #"{"id":"A-2","title":"t","summary":"s",}"#,
            #"{id:"A-3"}"#,
            #"{"id":"A-4","title":"t","summary":"s"} // note"#,
            #"{"id":"A-5","title":"t","summary":"s","maturity":NaN}"#,
        ].joined(separator: "\n")
        #expect(readAchievements(text).issueLines == [
            "a.jsonl:1: invalid JSON: unterminated object (opened at byte 1) at byte 24",
            "a.jsonl:2: invalid JSON: unexpected '}', expected a quoted object key at byte 39",
            "a.jsonl:3: invalid JSON: unexpected 'i', expected a quoted object key at byte 2",
            "a.jsonl:4: invalid JSON: unexpected '/' after the end of the JSON value at byte 40",
            "a.jsonl:5: invalid JSON: unexpected 'N', expected a value at byte 50",
        ])
    }

    @Test("deep nesting is refused and attributed to its field; 64 levels are fine")
    func deepNesting() {
        let hostile = String(repeating: "[", count: 100_000)
        let allowed = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        let report = readAchievements(achievementLine(#","deep":\#(hostile)"#) + "\n" + achievementLine(#","deep":\#(allowed)"#, id: "A-2"))
        #expect(report.issueLines == ["a.jsonl:1: deep: invalid JSON: nesting deeper than 64 levels at byte 158"])
        #expect(report.records.map(\.id) == ["A-2"])
    }

    @Test("numbers out of Double's range are refused; underflow reads as zero")
    func hugeNumbers() {
        let report = readAchievements(
            achievementLine(#","maturity":1e400"#) + "\n" + achievementLine(#","weight":1e-400,"n":-1E+2"#, id: "A-2"))
        #expect(report.issueLines == ["a.jsonl:1: maturity: invalid JSON: number '1e400' is out of range at byte 99"])
        #expect(report.records.first?.extra == ["weight": .number(0), "n": .number(-100)])
    }

    @Test("a key given twice in one object rejects the line")
    func duplicateKeys() {
        let report = readAchievements(
            #"{"id":"A-1","title":"a","summary":"s","title":"b"}"# + "\n" + #"{"id":"A-2","title":"a","summary":"s","x":{"k":1,"k":1}}"#)
        #expect(report.issueLines == [
            "a.jsonl:1: title: invalid JSON: duplicate key 'title' at byte 39",
            "a.jsonl:2: x: invalid JSON: duplicate key 'k' at byte 50",
        ])
    }

    @Test("a repeated id rejects the later line and names the first")
    func duplicateIDs() {
        let text = [
            achievementLine(id: "A-9") .replacingOccurrences(of: #""summary""#, with: #""summary_""#),
            achievementLine(id: "A-1"),
            "",
            achievementLine(id: "A-2"),
            achievementLine(id: "A-1"),
            achievementLine(#","maturity":7"#, id: "A-2"),
            achievementLine(id: "A-9"),
            achievementLine(id: "A-9"),
            achievementLine(id: "a-1"),
        ].joined(separator: "\n")
        let report = readAchievements(text)
        #expect(report.issueLines == [
            "a.jsonl:1: summary: missing required field",
            "a.jsonl:5: id: duplicate id 'A-1' (first at line 2)",
            "a.jsonl:6: maturity: must be between 1 and 5, got 7",
            "a.jsonl:6: id: duplicate id 'A-2' (first at line 4)",
            "a.jsonl:8: id: duplicate id 'A-9' (first at line 7)",
        ])
        #expect(report.records.map(\.id) == ["A-1", "A-2", "A-9", "a-1"])
        #expect(report.lines == [2, 4, 7, 9])
        #expect(report.summary == "a.jsonl: 4 accepted, 4 rejected")
    }

    @Test("a 12 MB line is read whole")
    func veryLongLine() {
        let summary = String(repeating: "海洋牧场智能网箱", count: 500_000)
        let line = achievementLine(id: "A-1").replacingOccurrences(of: "高通量抗污染复合膜", with: summary)
        #expect(line.utf8.count > 12_000_000)
        let report = readAchievements(achievementLine(id: "A-0") + "\n" + line + "\n" + achievementLine(id: "A-2"))
        #expect(report.issues.isEmpty)
        #expect(report.records.map(\.id) == ["A-0", "A-1", "A-2"])
        #expect(report.records[1].summary == summary)
    }

    @Test("reading from a file names it by the path given; a missing file throws")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shuoguo-data-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let achievements = directory.appendingPathComponent("achievements.jsonl")
        try Data((achievementLine() + "\n{\n").utf8).write(to: achievements)
        let report = try JSONLines.readAchievements(at: achievements)
        #expect(report.accepted == 1 && report.rejected == 1)
        #expect(report.issues.first?.file == achievements.path)
        #expect(report.summary == "\(achievements.path): 1 accepted, 1 rejected")
        let needs = directory.appendingPathComponent("needs.jsonl")
        try Data(needLine().utf8).write(to: needs)
        #expect(try JSONLines.readNeeds(at: needs).records.map(\.id) == ["N-1"])
        let missing = directory.appendingPathComponent("absent.jsonl")
        #expect(throws: JSONLinesReadError.self) { try JSONLines.readNeeds(at: missing) }
        do {
            _ = try JSONLines.readAchievements(at: missing)
        } catch {
            #expect(error.description.hasPrefix("cannot read \(missing.path): "))
        }
    }

    @Test("issues print as file:line: field: reason, or file:line: reason")
    func issueFormat() {
        #expect(RecordIssue(file: "n.jsonl", line: 7, field: "date", reason: "r").description == "n.jsonl:7: date: r")
        #expect(RecordIssue(file: "n.jsonl", line: 7, field: nil, reason: "r").description == "n.jsonl:7: r")
    }
}

@Suite("JSON Lines writing")
struct JSONLinesWritingTests {
    static let achievement = Achievement(
        id: "A-7", title: "深海\"探测\"\n机器人", summary: "", application: "海洋装备", keywords: ["ROV", "深海"],
        institution: "青岛某研究院", category: .major, maturity: 3, advancement: 4,
        transferModes: [.equity, .license], willingness: Willingness.none, conversionNeeds: [.conceptVerification],
        industry: [.equip, .future], marine: true, region: "西海岸新区", date: "2024-08-01",
        extra: ["source": .object(["url": .string("https://example.org/a?b=1"), "page": .number(12)]),
                "tags": .array([.string("🌊"), .null, .bool(false), .number(0.25)]),
                "title": .string("ignored: the typed title wins")])

    @Test("an achievement encodes as one line with sorted keys")
    func goldenAchievement() {
        #expect(JSONLines.encode(Self.achievement) == #"""
        {"advancement":4,"application":"海洋装备","category":"major","conversion_needs":["concept_verification"],\#
        "date":"2024-08-01","id":"A-7","industry":["equip","future"],"institution":"青岛某研究院",\#
        "keywords":["ROV","深海"],"marine":true,"maturity":3,"region":"西海岸新区",\#
        "source":{"page":12,"url":"https://example.org/a?b=1"},"summary":"","tags":["🌊",null,false,0.25],\#
        "title":"深海\"探测\"\n机器人","transfer_modes":["equity","license"],"willingness":"none"}
        """#)
    }

    @Test("absent optionals and empty arrays are left out")
    func minimalNeed() {
        let need = Need(id: "N-1", title: "t", description: "")
        #expect(JSONLines.encode(need) == #"{"description":"","id":"N-1","title":"t"}"#)
        let full = Need(id: "N-2", title: "t", description: "d", budgetWan: 30, expectedModes: [.coDevelop], minMaturity: 2)
        #expect(JSONLines.encode(full) == #"{"budget_wan":30,"description":"d","expected_modes":["co_develop"],"id":"N-2","min_maturity":2,"title":"t"}"#)
    }

    @Test("encode then read gives equal records, extra fields included")
    func roundTrip() {
        var expected = Self.achievement
        expected.extra["title"] = nil
        let file = JSONLines.encodeFile([Self.achievement, Achievement(id: "A-8", title: "x", summary: "y")])
        let report = readAchievements(file)
        #expect(report.issues.isEmpty)
        #expect(report.records == [expected, Achievement(id: "A-8", title: "x", summary: "y")])
        #expect(JSONLines.encodeFile(report.records) == file)

        let need = Need(
            id: "N:9", title: "集采研发", description: "共性\u{0}需求\u{2028}", enterprise: "e", enterpriseSize: .large,
            channel: .squad, problemType: .material, industry: [.chem], marine: false, region: "r", budgetWan: 0.1,
            expectedModes: [.transfer, .selfInvest], minMaturity: 4, date: "2025-01-31",
            extra: ["n": .number(-12345.5), "o": .object([:]), "a": .array([])])
        let needs = readNeeds(JSONLines.encode(need))
        #expect(needs.records == [need])
    }
}
