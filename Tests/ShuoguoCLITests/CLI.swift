import Foundation
import Testing

/// Runs the built `shuoguo` executable as a subprocess, as a user or a script would.
///
/// The binary is `$SHUOGUO_BIN` when set; otherwise the `shuoguo` next to the running test
/// bundle (same scratch directory, so `swift build --build-tests` has just built it); otherwise
/// the newest `.build*/debug/shuoguo` of the repository. The child always reads the
/// repository's `Corpus/` (through `SHUOGUO_CORPUS`).
enum CLI {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let corpus = repository.appendingPathComponent("Corpus")
    static let devSet = corpus.appendingPathComponent("dev")

    /// One finished run of the binary.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data

        /// Non-empty lines of standard error.
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
        var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    enum Failure: Error, CustomStringConvertible {
        case binaryNotFound(String)
        case timedOut([String])
        var description: String {
            switch self {
            case .binaryNotFound(let m): return m
            case .timedOut(let arguments): return "shuoguo \(arguments.joined(separator: " ")) did not finish in time"
            }
        }
    }

    static let binary: URL? = locateBinary()

    private static func isExecutableFile(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && !directory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    private static func locateBinary() -> URL? {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["SHUOGUO_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // The scratch directory of this test bundle: walk up from the running executable and
        // from every loaded bundle (the .xctest bundle on macOS).
        var starts = [URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()]
        starts += Bundle.allBundles.map { URL(fileURLWithPath: $0.bundlePath) }
        for start in starts {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("shuoguo")
                if isExecutableFile(candidate) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        // Any scratch directory of the repository; the newest build wins.
        let entries = (try? fm.contentsOfDirectory(atPath: repository.path)) ?? []
        let candidates = entries.filter { $0.hasPrefix(".build") }.sorted()
            .map { repository.appendingPathComponent($0).appendingPathComponent("debug").appendingPathComponent("shuoguo") }
            .filter(isExecutableFile)
        func modified(_ url: URL) -> Date {
            ((try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return candidates.max { modified($0) < modified($1) }
    }

    /// Runs `shuoguo arguments…` in `directory` (default: the fixtures) and waits for it.
    /// Output goes through temporary files, so large outputs never block on a full pipe.
    static func run(_ arguments: [String], in directory: URL = fixtures, timeout: TimeInterval = 300) throws -> Outcome {
        guard let binary else {
            throw Failure.binaryNotFound("the shuoguo executable was not found: build with `swift build --build-tests` or set SHUOGUO_BIN")
        }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outURL = scratch.file("stdout"), errURL = scratch.file("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["SHUOGUO_CORPUS"] = corpus.path
        process.environment = environment
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            throw Failure.timedOut(arguments)
        }
        try outHandle.close()
        try errHandle.close()
        let out = try Data(contentsOf: outURL), err = try Data(contentsOf: errURL)
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self), stdoutBytes: out)
    }

    /// Runs and requires exit status 0; the failure message carries stderr.
    static func succeed(_ arguments: [String], in directory: URL = fixtures,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let result = try run(arguments, in: directory)
        try #require(result.status == 0, "shuoguo \(arguments.joined(separator: " ")) failed:\n\(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func dev(_ name: String) -> String { devSet.appendingPathComponent(name).path }
}

/// A private temporary directory inside the test process's own directory, which is removed
/// when the process exits.
struct Scratch: Sendable {
    static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shuoguo-cli-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return url
    }()

    let directory: URL

    init() throws {
        directory = Self.root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Models and outputs that several tests read, each produced once per test process.
enum Shared {
    /// The model of the fixture market (14 achievements, 8 needs), fitted with the default
    /// settings (the bundled background corpus joins such a small fit).
    static let fixtureModel: Result<String, CLIError> = produce {
        let path = try Scratch().file("fixture.sgm").path
        _ = try CLI.succeed(["index", "--achievements", CLI.fixture("achievements.jsonl"), "--needs", CLI.fixture("needs.jsonl"), "--out", path])
        return path
    }

    /// The model of the bundled development set.
    static let devModel: Result<String, CLIError> = produce {
        let path = try Scratch().file("dev.sgm").path
        _ = try CLI.succeed(["index", "--achievements", CLI.dev("achievements.jsonl"), "--needs", CLI.dev("needs.jsonl"), "--out", path])
        return path
    }

    /// `match --format json` on the fixture model, every candidate of every need.
    static let fixtureJSON: Result<CLI.Outcome, CLIError> = produce {
        try CLI.succeed(["match", "--model", try fixtureModel.get(), "--format", "json", "--top", "50"])
    }

    /// `match --format trec` on the fixture model, both directions, every candidate.
    static let fixtureRunNeeds: Result<CLI.Outcome, CLIError> = produce {
        try CLI.succeed(["match", "--model", try fixtureModel.get(), "--format", "trec", "--top", "50"])
    }
    static let fixtureRunAchievements: Result<CLI.Outcome, CLIError> = produce {
        try CLI.succeed(["match", "--model", try fixtureModel.get(), "--format", "trec", "--top", "50",
                         "--direction", "achievement-to-need"])
    }

    /// `match --format trec` on the development model, needs as queries, top 100.
    static let devRunNeeds: Result<CLI.Outcome, CLIError> = produce {
        try CLI.succeed(["match", "--model", try devModel.get(), "--format", "trec", "--top", "100"])
    }

    private static func produce<T>(_ body: () throws -> T) -> Result<T, CLIError> {
        do { return .success(try body()) } catch { return .failure(CLIError(description: "\(error)")) }
    }
}

/// A failure kept for every test that needs the shared value.
struct CLIError: Error, CustomStringConvertible, Sendable {
    var description: String
}

/// One line of a TREC run, split into its six fields.
struct RunLine: Equatable, Sendable {
    var query: String
    var document: String
    var rank: Int
    var score: Double
    var scoreText: String
    var tag: String

    /// Parses a run strictly: exactly six space-separated fields, `Q0`, integer rank, finite score.
    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [RunLine] {
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }.map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 6, "not six fields: \(line)", sourceLocation: sourceLocation)
            try #require(fields[1] == "Q0", "second field is not Q0: \(line)", sourceLocation: sourceLocation)
            let rank = try #require(Int(fields[3]), "rank is not an integer: \(line)", sourceLocation: sourceLocation)
            let score = try #require(Double(fields[4]), "score is not a number: \(line)", sourceLocation: sourceLocation)
            try #require(score.isFinite, sourceLocation: sourceLocation)
            return RunLine(query: fields[0], document: fields[2], rank: rank, score: score, scoreText: fields[4], tag: fields[5])
        }
    }

    /// Lines grouped by query, in file order.
    static func byQuery(_ lines: [RunLine]) -> [String: [RunLine]] {
        Dictionary(grouping: lines, by: \.query)
    }
}

/// Ids of the records of a JSON Lines file (every line is assumed valid).
func recordIDs(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return try #require(object?["id"] as? String)
    }
}

/// Parses one JSON object (a line of `match --format json`, an `explain --json` document).
func jsonObject(_ text: some StringProtocol) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}
