import Foundation
import ShuoguoData

/// Reading inputs the way every command does: JSON Lines with per-line diagnostics on
/// stderr, valid records kept, and the background corpus for small markets.
public enum Inputs {
    /// Reads achievements, reporting every rejected line and a summary to `log`.
    public static func achievements(at url: URL, log: (String) -> Void) throws -> [Achievement] {
        let report = try readReport { try JSONLines.readAchievements(at: url) }
        report.issues.forEach { log($0.description) }
        log(report.summary)
        return report.records
    }

    public static func needs(at url: URL, log: (String) -> Void) throws -> [Need] {
        let report = try readReport { try JSONLines.readNeeds(at: url) }
        report.issues.forEach { log($0.description) }
        log(report.summary)
        return report.records
    }

    private static func readReport<R>(_ read: () throws -> LoadReport<R>) throws -> LoadReport<R> {
        do { return try read() } catch let error as EngineError { throw error } catch {
            throw EngineError.invalidInput("\(error)")
        }
    }

    /// Texts of the bundled development corpus to fit alongside a small market, leaving out
    /// any text that is already among the supplied records.
    public static func background(for achievements: [Achievement], _ needs: [Need], corpus: URL,
                                  configuration: EngineConfiguration) -> [String] {
        guard configuration.useBackground, achievements.count + needs.count < configuration.backgroundBelow else { return [] }
        let directory = corpus.appendingPathComponent("dev")
        let own = Set(achievements.map(\.text) + needs.map(\.text))
        var texts: [String] = []
        if let report = try? JSONLines.readAchievements(at: directory.appendingPathComponent("achievements.jsonl")) {
            texts += report.records.map(\.text)
        }
        if let report = try? JSONLines.readNeeds(at: directory.appendingPathComponent("needs.jsonl")) {
            texts += report.records.map(\.text)
        }
        return texts.filter { !own.contains($0) }
    }
}
