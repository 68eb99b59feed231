import Foundation
import ShuoguoData

/// One labelled record the router learns from.
public struct RoutingExample: Sendable, Equatable {
    public var record: MarketRecord
    /// The labelled industries, primary first (never empty for an example).
    public var industries: [Industry]
    /// The labelled 现代海洋产业体系 tag, when stated.
    public var marine: Bool?
    /// The labelled 细分赛道 of the primary industry, when known.
    public var track: String?
    /// The group of near-identical records (the development topic) the example belongs to;
    /// cross-validation keeps a group on one side of the split.
    public var group: String

    public init(record: MarketRecord, industries: [Industry], marine: Bool?, track: String?, group: String) {
        self.record = record
        self.industries = industries
        self.marine = marine
        self.track = track
        self.group = group
    }
}

/// The labelled data of the bundled development set (`Corpus/dev`).
public enum RoutingTrainingSet {
    /// Reads `achievements.jsonl` and `needs.jsonl` (their `industry` and `marine` fields are the
    /// labels), `topics.tsv` (the topic of each record, used as its group) and `topics/*.json`
    /// (a topic's 细分赛道). A record takes its topic's track when it is one of the records the
    /// topic is about (role solve or fit, or a need) and its primary industry is the topic's.
    /// Records without an industry are not examples.
    /// - Throws: `RoutingError` when a file is missing or unreadable.
    public static func load(corpus: URL) throws(RoutingError) -> [RoutingExample] {
        let dev = corpus.appendingPathComponent("dev")
        let achievements: [Achievement], needs: [Need]
        do {
            achievements = try JSONLines.readAchievements(at: dev.appendingPathComponent("achievements.jsonl")).records
            needs = try JSONLines.readNeeds(at: dev.appendingPathComponent("needs.jsonl")).records
        } catch {
            throw .unreadable(file: "dev/*.jsonl", reason: "\(error)")
        }
        var topicOf: [String: (topic: String, role: String, industry: String)] = [:]
        if let text = try? String(contentsOf: dev.appendingPathComponent("topics.tsv"), encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if columns.count == 5 { topicOf[columns[0]] = (columns[2], columns[3], columns[4]) }
            }
        }
        var trackOf: [String: String] = [:]
        let topicDirectory = dev.appendingPathComponent("topics")
        let files = ((try? FileManager.default.contentsOfDirectory(at: topicDirectory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        for file in files {
            guard let data = try? Data(contentsOf: file),
                  case .object(let document)? = try? JSONValue(parsing: data),
                  case .array(let topics)? = document["topics"] else { continue }
            for case .object(let topic) in topics {
                if case .string(let key)? = topic["key"], case .string(let track)? = topic["track"] { trackOf[key] = track }
            }
        }
        func example(_ record: MarketRecord) -> RoutingExample? {
            guard let primary = record.industry.first else { return nil }
            let topic = topicOf[record.id]
            var track: String?
            if let topic, topic.industry == primary.rawValue, ["solve", "fit", "vague", "precise"].contains(topic.role) {
                track = trackOf[topic.topic]
            }
            return RoutingExample(record: record, industries: record.industry, marine: record.marine, track: track,
                                  group: topic?.topic ?? record.id)
        }
        return achievements.compactMap { example(.achievement($0)) } + needs.compactMap { example(.need($0)) }
    }
}

extension RoutingTrainingSet {
    /// The examples with their industries replaced by another labelling: a TSV file with a
    /// header line whose first two columns are the record id and its industry codes, primary
    /// first, separated by commas (`Corpus/dev/labels-rules.tsv` is one). Further columns are
    /// ignored. Every example must be labelled, and every line must name a known example.
    /// - Throws: `RoutingError` naming the file, line and field at fault.
    public static func relabel(_ examples: [RoutingExample], from url: URL) throws(RoutingError) -> [RoutingExample] {
        let file = url.lastPathComponent
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw .unreadable(file: url.path, reason: "not a readable UTF-8 file")
        }
        let known = Set(examples.map(\.record.id))
        var labels: [String: [Industry]] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 2 else { throw .invalid(file: file, line: number + 1, field: "industry", reason: "expected id<TAB>codes") }
            let id = String(columns[0])
            guard known.contains(id) else { throw .invalid(file: file, line: number + 1, field: "id", reason: "'\(id)' is not a labelled record of the development set") }
            guard labels[id] == nil else { throw .invalid(file: file, line: number + 1, field: "id", reason: "'\(id)' is labelled twice") }
            var codes: [Industry] = []
            for code in columns[1].split(separator: ",") {
                guard let industry = Industry(rawValue: code.trimmingCharacters(in: .whitespaces)) else {
                    throw .invalid(file: file, line: number + 1, field: "industry", reason: "unknown industry code '\(code)'")
                }
                if !codes.contains(industry) { codes.append(industry) }
            }
            guard !codes.isEmpty else { throw .invalid(file: file, line: number + 1, field: "industry", reason: "no industry code") }
            labels[id] = codes
        }
        return try examples.map { (example) throws(RoutingError) -> RoutingExample in
            guard let codes = labels[example.record.id] else {
                throw .invalid(file: file, line: nil, field: "id", reason: "no line for '\(example.record.id)'")
            }
            var relabelled = example
            relabelled.industries = codes
            if codes[0] != example.industries[0] { relabelled.track = nil }
            return relabelled
        }
    }
}

/// Errors of the market services, each naming the file (and line or entry) at fault.
public enum RoutingError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case invalid(file: String, line: Int?, field: String, reason: String)
    case noExamples

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot be read: \(reason)"
        case .invalid(let file, let line, let field, let reason):
            return "\(file)" + (line.map { ":\($0)" } ?? "") + ": \(field): \(reason)"
        case .noExamples: return "no labelled examples to learn from (Corpus/dev holds none)"
        }
    }
}
