import Foundation
import ShuoguoData
import Testing

/// One golden case: members appended to a minimal valid record, and the exact diagnostics.
struct FieldCase: CustomTestStringConvertible, Sendable {
    var members: String
    var expected: [String]
    var testDescription: String { members }

    init(_ members: String, _ expected: String...) {
        self.members = members
        self.expected = expected
    }
}

@Suite("Field rules of achievements.jsonl and needs.jsonl")
struct FieldValidationTests {
    static let achievementCases: [FieldCase] = [
        FieldCase(#","maturity":3.5"#, "a.jsonl:1: maturity: expected an integer 1–5, got number 3.5"),
        FieldCase(#","maturity":"3""#, "a.jsonl:1: maturity: expected an integer 1–5, got string '3'"),
        FieldCase(#","maturity":true"#, "a.jsonl:1: maturity: expected an integer 1–5, got true"),
        FieldCase(#","maturity":0"#, "a.jsonl:1: maturity: must be between 1 and 5, got 0"),
        FieldCase(#","maturity":6"#, "a.jsonl:1: maturity: must be between 1 and 5, got 6"),
        FieldCase(#","advancement":[]"#, "a.jsonl:1: advancement: expected an integer 1–5, got an array"),
        FieldCase(#","advancement":-1"#, "a.jsonl:1: advancement: must be between 1 and 5, got -1"),
        FieldCase(#","category":"huge""#,
                  "a.jsonl:1: category: unknown value 'huge' (allowed: major, industrial, enterprise)"),
        FieldCase(#","category":1"#, "a.jsonl:1: category: expected a string, got number 1"),
        FieldCase(#","category":"Major""#,
                  "a.jsonl:1: category: unknown value 'Major' (allowed: major, industrial, enterprise)"),
        FieldCase(#","transfer_modes":"license""#, "a.jsonl:1: transfer_modes: expected an array, got string 'license'"),
        FieldCase(#","transfer_modes":["license","sell"]"#,
                  "a.jsonl:1: transfer_modes: unknown value 'sell' at index 1 (allowed: self_invest, transfer, license, co_develop, equity, other)"),
        FieldCase(#","transfer_modes":["sell",2,"buy"]"#,
                  "a.jsonl:1: transfer_modes: unknown value 'sell' at index 0 (allowed: self_invest, transfer, license, co_develop, equity, other); 2 more invalid elements"),
        FieldCase(#","willingness":"maybe""#,
                  "a.jsonl:1: willingness: unknown value 'maybe' (allowed: strong, normal, none)"),
        FieldCase(#","conversion_needs":["pilot",null]"#,
                  "a.jsonl:1: conversion_needs: expected an array of strings, element at index 1 is null"),
        FieldCase(#","industry":["ocean"]"#,
                  "a.jsonl:1: industry: unknown value 'ocean' at index 0 (allowed: it, ai, health, nev, lowalt, energy, equip, appliance, chem, light, future)"),
        FieldCase(#","industry":{"it":true}"#, "a.jsonl:1: industry: expected an array, got an object"),
        FieldCase(#","marine":"yes""#, "a.jsonl:1: marine: expected true or false, got string 'yes'"),
        FieldCase(#","marine":1"#, "a.jsonl:1: marine: expected true or false, got number 1"),
        FieldCase(#","date":"2024/01/02""#, "a.jsonl:1: date: expected YYYY-MM-DD, got '2024/01/02'"),
        FieldCase(#","date":"2024-1-02""#, "a.jsonl:1: date: expected YYYY-MM-DD, got '2024-1-02'"),
        FieldCase(#","date":"2024-01-02T00:00""#, "a.jsonl:1: date: expected YYYY-MM-DD, got '2024-01-02T00:00'"),
        FieldCase(#","date":"２０２４-01-01""#, "a.jsonl:1: date: expected YYYY-MM-DD, got '２０２４-01-01'"),
        FieldCase(#","date":"2023-02-29""#, "a.jsonl:1: date: '2023-02-29' is not a calendar date"),
        FieldCase(#","date":"1900-02-29""#, "a.jsonl:1: date: '1900-02-29' is not a calendar date"),
        FieldCase(#","date":"2024-04-31""#, "a.jsonl:1: date: '2024-04-31' is not a calendar date"),
        FieldCase(#","date":"2024-13-01""#, "a.jsonl:1: date: '2024-13-01' is not a calendar date"),
        FieldCase(#","date":"2024-00-10""#, "a.jsonl:1: date: '2024-00-10' is not a calendar date"),
        FieldCase(#","date":20240101"#, "a.jsonl:1: date: expected a date string YYYY-MM-DD, got number 20240101"),
        FieldCase(#","keywords":"膜""#, "a.jsonl:1: keywords: expected an array, got string '膜'"),
        FieldCase(#","keywords":["膜",3,false]"#,
                  "a.jsonl:1: keywords: expected an array of strings, element at index 1 is number 3; 1 more invalid element"),
        FieldCase(#","application":5"#, "a.jsonl:1: application: expected a string, got number 5"),
        FieldCase(#","institution":{}"#, "a.jsonl:1: institution: expected a string, got an object"),
        FieldCase(#","region":false"#, "a.jsonl:1: region: expected a string, got false"),
        FieldCase(#","maturity":9,"marine":"no","date":"soon""#,
                  "a.jsonl:1: maturity: must be between 1 and 5, got 9",
                  "a.jsonl:1: marine: expected true or false, got string 'no'",
                  "a.jsonl:1: date: expected YYYY-MM-DD, got 'soon'"),
    ]

    @Test("each bad optional field gets its own exact diagnostic", arguments: achievementCases)
    func achievementFields(_ testCase: FieldCase) {
        let report = readAchievements(achievementLine(testCase.members))
        #expect(report.issueLines == testCase.expected)
        #expect(report.accepted == 0 && report.rejected == 1 && report.records.isEmpty)
    }

    static let requiredCases: [FieldCase] = [
        FieldCase(#"{"title":"t","summary":"s"}"#, "a.jsonl:1: id: missing required field"),
        FieldCase(#"{"id":12,"title":"t","summary":"s"}"#, "a.jsonl:1: id: expected a string, got number 12"),
        FieldCase(#"{"id":"","title":"t","summary":"s"}"#, "a.jsonl:1: id: must not be empty"),
        FieldCase(#"{"id":"A 1","title":"t","summary":"s"}"#,
                  "a.jsonl:1: id: contains ' ' (U+0020); allowed are A–Z, a–z, 0–9 and _ . : -"),
        FieldCase(#"{"id":"成果1","title":"t","summary":"s"}"#,
                  "a.jsonl:1: id: contains '成' (U+6210); allowed are A–Z, a–z, 0–9 and _ . : -"),
        FieldCase(#"{"id":"A/1","title":"t","summary":"s"}"#,
                  "a.jsonl:1: id: contains '/' (U+002F); allowed are A–Z, a–z, 0–9 and _ . : -"),
        FieldCase(#"{"id":"\#(String(repeating: "x", count: 65))","title":"t","summary":"s"}"#,
                  "a.jsonl:1: id: is 65 characters long, at most 64 allowed"),
        FieldCase(#"{"id":"A-1","summary":"s"}"#, "a.jsonl:1: title: missing required field"),
        FieldCase(#"{"id":"A-1","title":"","summary":"s"}"#, "a.jsonl:1: title: must not be empty"),
        FieldCase(#"{"id":"A-1","title":" \t\u3000","summary":"s"}"#, "a.jsonl:1: title: must not be whitespace only"),
        FieldCase(#"{"id":"A-1","title":null,"summary":"s"}"#, "a.jsonl:1: title: expected a string, got null"),
        FieldCase(#"{"id":"A-1","title":"t"}"#, "a.jsonl:1: summary: missing required field"),
        FieldCase(#"{"id":"A-1","title":"t","summary":["s"]}"#, "a.jsonl:1: summary: expected a string, got an array"),
        FieldCase(#"{}"#,
                  "a.jsonl:1: id: missing required field", "a.jsonl:1: title: missing required field",
                  "a.jsonl:1: summary: missing required field"),
        FieldCase(#"{"id":"A-1","title":"t","summary":"s","description":"d","maturity":"high"}"#,
                  "a.jsonl:1: maturity: expected an integer 1–5, got string 'high'"),
    ]

    @Test("required fields: presence, type, identifier rule, non-blank title", arguments: requiredCases)
    func requiredFields(_ testCase: FieldCase) {
        let report = readAchievements(testCase.members)
        #expect(report.issueLines == testCase.expected)
        #expect(report.rejected == 1)
    }

    static let needCases: [FieldCase] = [
        FieldCase(#","budget_wan":-1"#, "n.jsonl:1: budget_wan: must be ≥ 0, got -1"),
        FieldCase(#","budget_wan":-0.5"#, "n.jsonl:1: budget_wan: must be ≥ 0, got -0.5"),
        FieldCase(#","budget_wan":"100""#, "n.jsonl:1: budget_wan: expected a number, got string '100'"),
        FieldCase(#","min_maturity":2.5"#, "n.jsonl:1: min_maturity: expected an integer 1–5, got number 2.5"),
        FieldCase(#","enterprise_size":"huge""#, "n.jsonl:1: enterprise_size: unknown value 'huge' (allowed: large, sme)"),
        FieldCase(#","channel":"phone""#,
                  "n.jsonl:1: channel: unknown value 'phone' (allowed: cloud_rd, order, jiebang, squad, event, other)"),
        FieldCase(#","problem_type":["material"]"#, "n.jsonl:1: problem_type: expected a string, got an array"),
        FieldCase(#","expected_modes":["buy"]"#,
                  "n.jsonl:1: expected_modes: unknown value 'buy' at index 0 (allowed: self_invest, transfer, license, co_develop, equity, other)"),
        FieldCase(#","enterprise":7"#, "n.jsonl:1: enterprise: expected a string, got number 7"),
        FieldCase(#","date":"2023-11-31""#, "n.jsonl:1: date: '2023-11-31' is not a calendar date"),
    ]

    @Test("need-specific fields", arguments: needCases)
    func needFields(_ testCase: FieldCase) {
        let report = readNeeds(needLine(testCase.members))
        #expect(report.issueLines == testCase.expected)
        #expect(report.rejected == 1)
    }

    @Test("a need without a description is rejected; an achievement's summary does not count")
    func needDescription() {
        let report = readNeeds(#"{"id":"N-1","title":"t","summary":"s"}"#)
        #expect(report.issueLines == ["n.jsonl:1: description: missing required field"])
    }

    @Test("every field of a full achievement is read")
    func fullAchievement() throws {
        let line = achievementLine(#"""
        ,"application":"海水淡化","keywords":["反渗透","膜","膜"],"institution":"中国海洋大学","category":"industrial",\#
        "maturity":4,"advancement":3.0,"transfer_modes":["license","co_develop","license"],"willingness":"strong",\#
        "conversion_needs":["pilot","funding"],"industry":["chem","energy","chem"],"marine":true,"region":"崂山区",\#
        "date":"2024-02-29","source":{"page":3}
        """#)
        let report = readAchievements(line)
        #expect(report.issues.isEmpty)
        let expected = Achievement(
            id: "A-1", title: "海水淡化反渗透膜", summary: "高通量抗污染复合膜", application: "海水淡化",
            keywords: ["反渗透", "膜"], institution: "中国海洋大学", category: .industrial, maturity: 4,
            advancement: 3, transferModes: [.license, .coDevelop], willingness: .strong,
            conversionNeeds: [.pilot, .funding], industry: [.chem, .energy], marine: true, region: "崂山区",
            date: "2024-02-29", extra: ["source": .object(["page": .number(3)])])
        #expect(report.records == [expected])
        #expect(report.lines == [1])
        #expect(expected.text == "海水淡化反渗透膜\n高通量抗污染复合膜\n海水淡化\n反渗透\n膜")
    }

    @Test("every field of a full need is read")
    func fullNeed() {
        let line = needLine(#"""
        ,"enterprise":"某水产公司","enterprise_size":"sme","channel":"cloud_rd","problem_type":"system",\#
        "industry":["it"],"marine":false,"region":"黄岛区","budget_wan":12.5,"expected_modes":["transfer"],\#
        "min_maturity":3,"date":"2025-06-30","contact":null
        """#)
        let report = readNeeds(line)
        #expect(report.issues.isEmpty)
        #expect(report.records == [Need(
            id: "N-1", title: "养殖水体在线监测", description: "想不出、说不清", enterprise: "某水产公司",
            enterpriseSize: .sme, channel: .cloudRD, problemType: .system, industry: [.it], marine: false,
            region: "黄岛区", budgetWan: 12.5, expectedModes: [.transfer], minMaturity: 3, date: "2025-06-30",
            extra: ["contact": .null])])
        #expect(report.records.first?.text == "养殖水体在线监测\n想不出、说不清")
    }

    @Test("edge values that are valid")
    func validEdges() {
        let lines = [
            achievementLine(#","maturity":1,"advancement":5"#, id: "a"),
            achievementLine(#","date":"2000-02-29","marine":null,"category":null,"keywords":null"#, id: "b"),
            achievementLine(#","industry":[],"keywords":[""],"application":"""#, id: "c"),
            #"{"id":"\#(String(repeating: "Z", count: 64))","title":"x","summary":""}"#,
            #"{"id":"a_b.c:d-E9","title":"\u0000","summary":""}"#,
        ]
        let report = readAchievements(lines.joined(separator: "\n"))
        #expect(report.issues.isEmpty)
        #expect(report.accepted == 5)
        #expect(report.records[1].marine == nil && report.records[1].category == nil && report.records[1].keywords.isEmpty)
        #expect(report.records[1].extra.isEmpty)
        #expect(report.records[2].keywords == [""] && report.records[2].application == "")
        #expect(report.records[4].title == "\u{0}")
        let needs = readNeeds(needLine(#","budget_wan":0,"min_maturity":5"#) + "\n" + needLine(#","budget_wan":1e6"#, id: "N-2"))
        #expect(needs.records.map(\.budgetWan) == [0, 1_000_000])
        #expect(Identifier.isValid("A-1") && !Identifier.isValid("A 1") && !Identifier.isValid(""))
        #expect(CalendarDate.isValid("2024-02-29") && !CalendarDate.isValid("2023-02-29"))
    }

    @Test("long or invisible bad values are shortened and made visible in messages")
    func messageQuoting() {
        let long = String(repeating: "海", count: 100)
        let report = readAchievements(achievementLine(#","category":"\#(long)","region":7,"willingness":"\u202Estrong""#))
        #expect(report.issueLines == [
            "a.jsonl:1: category: unknown value '\(String(repeating: "海", count: 60))…' (allowed: major, industrial, enterprise)",
            "a.jsonl:1: willingness: unknown value '\\u{202E}strong' (allowed: strong, normal, none)",
            "a.jsonl:1: region: expected a string, got number 7",
        ])
    }
}
