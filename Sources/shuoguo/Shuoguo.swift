import ArgumentParser
import Foundation
import ShuoguoEngine

@main
struct Shuoguo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shuoguo",
        abstract: "硕果: matchmaking of technology achievements (科技成果) and enterprise needs (企业技术需求).",
        discussion: """
            Reads achievements.jsonl and needs.jsonl (see FORMATS.md), segments the Chinese text, builds
            TF-IDF and LSA vectors, and ranks supply–demand pairs in both directions with their reasons.
            """,
        subcommands: [Index.self, Match.self, Explain.self, Eval.self, Tokenize.self, Supply.self, Route.self, Lint.self, Group.self, Duplicates.self]
    )
}

/// Writes one line to standard error.
func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Runs a command body; every engine error becomes one message on stderr and exit status 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        log("shuoguo: \(error)")
        throw ExitCode(1)
    }
}

/// Buffered standard output (large rankings are written in one pass).
struct Output {
    private var buffer = Data()
    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 20 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Counts finished queries from worker threads and reports every `step` on stderr.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let step: Int
    private let start = Date()

    init(total: Int, step: Int) {
        self.total = total
        self.step = step
    }

    func advance(_ count: Int) {
        lock.lock()
        let before = done
        done += count
        let now = done
        lock.unlock()
        if now / step != before / step || now == total {
            let elapsed = Date().timeIntervalSince(start)
            log(String(format: "ranked %d/%d queries (%.1f s)", now, total, elapsed))
        }
    }
}
