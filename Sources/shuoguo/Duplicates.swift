import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoMarket

struct Duplicates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find listings submitted more than once (the same achievement or need, retyped or sent through two channels).",
        discussion: """
            Compares the title and 简介/需求描述 of every record as character 3-gram sets, after folding width,
            case, whitespace and punctuation; two records are copies when the Jaccard coefficient of their sets
            is at least --threshold (default 0.5; distinct listings of the development set stay below 0.11). Copies
            are linked transitively; each group is printed with its earliest record as primary and every copy's
            similarity to it. jsonl prints {"id", "kind", "primary", "records", "copies": [{"id", "similarity"}]}.
            """)

    @Option(name: .long, help: "Achievements JSON Lines (科技成果).")
    var achievements: String?

    @Option(name: .long, help: "Needs JSON Lines (企业技术需求).")
    var needs: String?

    @Option(name: .long, help: "Least Jaccard coefficient of two copies (0–1].")
    var threshold: Double = 0.5

    @Option(name: .long, help: "jsonl or table.")
    var format: ListingFormat = .jsonl

    func validate() throws {
        if (achievements == nil) == (needs == nil) { throw ValidationError("give exactly one of --achievements and --needs") }
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be within (0, 1]") }
    }

    func run() async throws {
        try await reportingErrors {
            let detector = DuplicateDetector(threshold: threshold)
            let kind: String, groups: [DuplicateGroup], titles: [String: String]
            if let achievements {
                let records = try Inputs.achievements(at: URL(fileURLWithPath: achievements), log: log)
                (kind, groups) = ("achievement", detector.groups(records))
                titles = Dictionary(records.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
            } else {
                let records = try Inputs.needs(at: URL(fileURLWithPath: needs!), log: log)
                (kind, groups) = ("need", detector.groups(records))
                titles = Dictionary(records.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
            }
            log("\(groups.count) groups of copies, \(groups.reduce(0) { $0 + $1.copies.count }) copies")
            var out = Output()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for (number, group) in groups.enumerated() {
                let id = "D\(number + 1)"
                switch format {
                case .jsonl:
                    let line = DuplicateLine(id: id, kind: kind, primary: group.primary, records: group.ids,
                                             copies: group.copies.map { .init(id: $0.id, similarity: ($0.similarity * 10_000).rounded() / 10_000) })
                    out.write(String(decoding: try encoder.encode(line), as: UTF8.self) + "\n")
                case .table:
                    out.write("\(id)  \(group.primary)  \(titles[group.primary] ?? "")\n")
                    for copy in group.copies {
                        out.write(String(format: "    %.4f  ", copy.similarity) + "\(copy.id)  \(titles[copy.id] ?? "")\n")
                    }
                }
            }
            out.flush()
        }
    }
}

/// One line of `duplicates --format jsonl`.
struct DuplicateLine: Encodable {
    struct Copy: Encodable {
        var id: String
        var similarity: Double
    }
    var id: String
    var kind: String
    var primary: String
    var records: [String]
    var copies: [Copy]
}
