import Foundation
import Testing

/// Bad records are named on stderr as `file:line: field: reason` (or `file:line: reason` when
/// the whole line is unreadable) and the valid ones around them are kept; unusable inputs stop
/// the command with status 1 and one clear message.
@Suite struct BadInputTests {
    /// `achievements-mixed.jsonl` starts with a UTF-8 byte order mark and ends its lines with
    /// CRLF. Lines: 1 valid (D01), 2 unterminated JSON, 3 unknown willingness, 4 no title,
    /// 5 D01 again, 6 invalid UTF-8 bytes in a string, 7 valid (D07), 8 blank, 9 valid (D09,
    /// no final line end). `needs-mixed.jsonl`: 1 valid (M01), 2 unknown enterprise size,
    /// 3 maturity 9, 4 a date not on the calendar, 5 valid (M05).
    @Test func mixedFilesReportEachBadLineAndKeepTheValidRecords() throws {
        let out = try CLI.run(["match", "--achievements", "achievements-mixed.jsonl", "--needs", "needs-mixed.jsonl",
                               "--format", "trec", "--top", "50"])
        #expect(out.status == 0, "\(out.stderr)")
        let expected = [
            "achievements-mixed.jsonl:2: invalid JSON: unterminated object (opened at byte 1) at byte 93",
            "achievements-mixed.jsonl:3: willingness: unknown value 'maybe' (allowed: strong, normal, none)",
            "achievements-mixed.jsonl:4: title: missing required field",
            "achievements-mixed.jsonl:5: id: duplicate id 'D01' (first at line 1)",
            "achievements-mixed.jsonl:6: invalid UTF-8 at byte 56",
            "achievements-mixed.jsonl: 3 accepted, 5 rejected",
            "needs-mixed.jsonl:2: enterprise_size: unknown value 'tiny' (allowed: large, sme)",
            "needs-mixed.jsonl:3: min_maturity: must be between 1 and 5, got 9",
            "needs-mixed.jsonl:4: date: '2024-02-30' is not a calendar date",
            "needs-mixed.jsonl: 2 accepted, 3 rejected",
        ]
        // Exactly these lines name the two files, in this order (other lines report the fit).
        let diagnostics = out.stderrLines.filter { $0.hasPrefix("achievements-mixed.jsonl:") || $0.hasPrefix("needs-mixed.jsonl:") }
        #expect(diagnostics == expected)

        let run = RunLine.byQuery(try RunLine.parse(out.stdout))
        #expect(Set(run.keys) == ["M01", "M05"])
        for (query, results) in run {
            #expect(Set(results.map(\.document)) == ["D01", "D07", "D09"], "\(query)")
        }
        // The valid records are matched on their text, not merely kept.
        #expect(run["M01"]?.first?.document == "D01")
        #expect(run["M05"]?.first?.document == "D09")
    }

    @Test func anEmptyInputFileStopsIndexingWithoutWritingAModel() throws {
        let model = try Scratch().file("empty.sgm")
        let out = try CLI.run(["index", "--achievements", "empty.jsonl", "--needs", "needs.jsonl", "--out", model.path])
        #expect(out.status == 1)
        #expect(out.stderrLines.last == "shuoguo: empty.jsonl: no valid achievements (the file is empty or every line was rejected)")
        #expect(!FileManager.default.fileExists(atPath: model.path))
    }

    @Test func aMissingInputFileStopsMatchingWithStatusOne() throws {
        let out = try CLI.run(["match", "--achievements", "no-such-file.jsonl", "--needs", "needs.jsonl", "--format", "trec"])
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderrLines.last?.hasPrefix("shuoguo: cannot read no-such-file.jsonl: ") == true)
    }
}

/// A damaged model file is refused with a message that says what is wrong, never loaded.
@Suite struct CorruptedModelTests {
    private func refusal(_ bytes: Data) throws -> CLI.Outcome {
        let url = try Scratch().file("damaged.sgm")
        try bytes.write(to: url)
        return try CLI.run(["match", "--model", url.path, "--format", "trec"])
    }

    @Test func oneFlippedByteIsCaughtByTheChecksum() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: try Shared.fixtureModel.get()))
        bytes[bytes.count / 2] ^= 0x01
        let out = try refusal(bytes)
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("checksum mismatch"))
        #expect(out.stderr.contains("the file is corrupted"))
    }

    @Test func aTruncatedFileIsNamedTruncated() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try Shared.fixtureModel.get()))
        let out = try refusal(bytes.prefix(bytes.count * 2 / 3))
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("model file: "))
        #expect(out.stderr.contains("truncated"))
    }

    @Test func anythingElseIsNotAModel() throws {
        let out = try refusal(Data(String(repeating: "{\"id\":\"N01\",\"title\":\"不是模型\"}\n", count: 40).utf8))
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("not a shuoguo model"))
    }
}
