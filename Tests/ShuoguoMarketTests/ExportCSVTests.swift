import Foundation
import Testing
@testable import ShuoguoMarket

/// A strict RFC 4180 reader: CRLF record ends, quoted fields with doubled quotes, CR and LF
/// allowed inside quotes only. Fails the test on anything else.
func parseRFC4180(_ text: String) throws -> [[String]] {
    struct Malformed: Error, CustomStringConvertible { var description: String }
    let scalars = Array(text.unicodeScalars)
    var records: [[String]] = [], record: [String] = [], field = ""
    var i = 0
    while i < scalars.count {
        if scalars[i] == "\"" && field.isEmpty {
            i += 1
            while true {
                guard i < scalars.count else { throw Malformed(description: "unterminated quoted field") }
                if scalars[i] == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    i += 1
                    break
                }
                field.unicodeScalars.append(scalars[i])
                i += 1
            }
            guard i == scalars.count || scalars[i] == "," || scalars[i] == "\r" else {
                throw Malformed(description: "text after a closing quote at scalar \(i)")
            }
            continue
        }
        switch scalars[i] {
        case ",":
            record.append(field); field = ""; i += 1
        case "\r":
            guard i + 1 < scalars.count, scalars[i + 1] == "\n" else { throw Malformed(description: "bare CR at scalar \(i)") }
            record.append(field); records.append(record); record = []; field = ""; i += 2
        case "\n":
            throw Malformed(description: "bare LF outside quotes at scalar \(i)")
        case "\"":
            throw Malformed(description: "quote inside an unquoted field at scalar \(i)")
        default:
            field.unicodeScalars.append(scalars[i]); i += 1
        }
    }
    guard field.isEmpty && record.isEmpty else { throw Malformed(description: "last record does not end with CRLF") }
    return records
}

@Suite struct ExportCSVTests {
    static let awkward: [[String]] = [
        ["1", "含逗号,的名称", "他说\"好\"", "两行\r\n第二行"],
        ["2", "只有LF\n换行", "末尾引号\"", "青岛科技大学（高分子）"],
        ["3", " 首尾空格 ", "", "普通文本"],
        ["4", "=HYPERLINK(\"http://x\")", "-40℃低温启动", "@SUM(A1)"],
        ["5", "+86 532", "40℃以下", "温度-40℃"],
    ]

    static var table: CSVTable {
        var table = CSVTable(header: ["序号", "成果名称", "备注", "说明"])
        for row in awkward { table.append(row) }
        return table
    }

    static func guarded(_ value: String) -> String {
        ["=", "+", "-", "@"].contains(where: value.hasPrefix) ? "'" + value : value
    }

    @Test func fileStartsWithTheByteOrderMarkAndEndsRecordsWithCRLF() throws {
        let bytes = [UInt8](Self.table.encoded())
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(Array(bytes.suffix(2)) == [0x0D, 0x0A])
        var plain = CSVTable(header: ["a", "b"])
        plain.append(["青岛", "海洋"])
        let text = String(decoding: plain.encoded().dropFirst(3), as: UTF8.self)
        #expect(text == "a,b\r\n青岛,海洋\r\n")
    }

    @Test func awkwardFieldsRoundTripThroughAStrictParser() throws {
        let text = String(decoding: Self.table.encoded().dropFirst(3), as: UTF8.self)
        let records = try parseRFC4180(text)
        #expect(records.first == ["序号", "成果名称", "备注", "说明"])
        #expect(Array(records.dropFirst()) == Self.awkward.map { $0.map(Self.guarded) })
        #expect(text.contains("\"含逗号,的名称\"") && text.contains("\"他说\"\"好\"\"\""))
    }

    @Test func pythonsCSVModuleReadsTheSameRecords() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("shuoguo-csv-\(ProcessInfo.processInfo.processIdentifier).csv")
        try Self.table.encoded().write(to: file)
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", """
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
                print(json.dumps(list(csv.reader(f)), ensure_ascii=False))
            """, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let records = try JSONDecoder().decode([[String]].self, from: output)
        #expect(records == [["序号", "成果名称", "备注", "说明"]] + Self.awkward.map { $0.map(Self.guarded) })
    }

    @Test func formulaTriggersAreDefusedAndOtherTextIsLeftAlone() {
        #expect(CSVTable.field("=1+1") == "'=1+1")
        #expect(CSVTable.field("-40℃低温启动") == "'-40℃低温启动")
        #expect(CSVTable.field("+86 532") == "'+86 532")
        #expect(CSVTable.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVTable.field("\tcmd") == "'\tcmd")
        #expect(CSVTable.field("=A1,B1") == "\"'=A1,B1\"")
        #expect(CSVTable.field("温度-40℃") == "温度-40℃")
        #expect(CSVTable.field("0.6123") == "0.6123")
        #expect(CSVTable.field("智能装备") == "智能装备")
    }

    @Test func theSupplyListCSVHasTheChineseHeaderAndOneRowPerAchievement() throws {
        let list = try SupplyFixture.list(.equip)
        let data = try list.export(.csv)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let records = try parseRFC4180(String(decoding: data.dropFirst(3), as: UTF8.self))
        #expect(records[0] == SupplyList.csvHeader)
        #expect(Array(records[0].prefix(9)) == ["序号", "成果编号", "成果名称", "所属单位", "细分赛道", "技术成熟度", "技术先进度", "转化意愿", "拟转化方式"])
        #expect(records.count == list.entries.count + 1)
        let column = { (name: String) in SupplyList.csvHeader.firstIndex(of: name)! }
        for (row, entry) in zip(records.dropFirst(), list.entries) {
            #expect(row[column("序号")] == String(entry.rank))
            #expect(row[column("成果编号")] == entry.achievement.id)
            #expect(row[column("成果名称")] == entry.achievement.title)
            #expect(row[column("是否新增")] == (entry.isNew ? "是" : "否"))
            #expect(row[column("综合评分")] == String(format: "%.4f", entry.score))
            #expect(row[column("拟转化方式")] == "技术许可、合作开发")
        }
        let e03 = try #require(records.first { $0[column("成果编号")] == "E03" })
        #expect(e03[column("技术成熟度")] == "5 可以量产" && e03[column("技术先进度")] == "4 国际先进")
        #expect(e03[column("细分赛道")] == "高端数控机床")
        #expect(e03[column("对接需求")].hasPrefix("N02 机床加工精度随温度漂移（"))
    }
}
