import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoMarket

extension SupplyListFormat: ExpressibleByArgument {}

struct Supply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The 科技创新供给清单 of one \"10+1\" industry, with its 产业需求清单: CSV, JSON or printable HTML.",
        discussion: """
            Lists the industry's achievements (its code in the record's industry field, or the nearest industry centroid when the field is empty, marked 推断) ranked by

              综合评分 = 0.6 × 匹配度 + 0.4 × 等级分
              匹配度 = cos(LSA vector, industry centroid) / the industry's largest
              等级分 = 0.4 × (成熟度 − 1)/4 + 0.3 × (先进度 − 1)/4 + 0.3 × 意愿
                       (意愿: 强烈 1, 一般 0.5, 无 0)

            The centroid is the mean unit LSA vector of the records labelled with the industry. Items dated on or after --since are marked 新增. The industry's needs follow, each with its best matches from the list. Without --model or --achievements/--needs the bundled development set (Corpus/dev/) is used. CSV is UTF-8 with BOM and CRLF for Excel/WPS; HTML is one printable page.
            """)

    @Option(name: .long, help: "Industry code: \(Industry.allCases.map(\.rawValue).joined(separator: ", ")).")
    var industry: String

    @Option(name: .long, help: "Mark achievements and needs dated on or after this day (YYYY-MM-DD) as 新增.")
    var since: String?

    @Option(name: .long, help: "csv, json or html.")
    var format: SupplyListFormat = .csv

    @Option(name: .long, help: "Only this 细分赛道 (a track name or alias of the industry's taxonomy entry).")
    var track: String?

    @Option(name: .long, help: "At most N achievements (default: all).")
    var top: Int?

    @Option(name: .long, help: "Best-matching achievements shown for each need (1–20).")
    var matches: Int = 3

    @Option(name: .long, help: "Least pair score of a proposed match, 0–1 (pairs below 0.15 were rarely relevant on the development set).")
    var minMatchScore: Double = 0.15

    @Option(name: .customLong("as-of"), help: "Generation date printed on the list, YYYY-MM-DD (default: today, China Standard Time).")
    var asOf: String?

    @Option(name: .long, help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var source: ModelSource

    func validate() throws {
        guard Industry(rawValue: industry) != nil else {
            throw ValidationError("unknown industry code '\(industry)'; use one of " + Industry.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let since, !CalendarDate.isValid(since) { throw ValidationError("--since: '\(since)' is not a calendar date YYYY-MM-DD") }
        if let asOf, !CalendarDate.isValid(asOf) { throw ValidationError("--as-of: '\(asOf)' is not a calendar date YYYY-MM-DD") }
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        guard (1...20).contains(matches) else { throw ValidationError("--matches must be within 1...20") }
        guard (0...1).contains(minMatchScore) else { throw ValidationError("--min-match-score must be within 0...1") }
        if let out {
            let directory = URL(fileURLWithPath: out).deletingLastPathComponent()
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--out: directory \(directory.path) does not exist")
            }
        }
    }

    func run() async throws {
        try await reportingErrors {
            let request = try SupplyListRequest(industry: Industry(rawValue: industry)!, track: track, since: since,
                                                generated: asOf ?? SupplyListRequest.today(), top: top, matchesPerNeed: matches,
                                                minimumMatchScore: minMatchScore)
            var source = self.source
            if !source.isGiven {
                guard let corpus = source.corpus.map({ URL(fileURLWithPath: $0) }) ?? Resources.locateCorpus() else {
                    throw EngineError.missingResource("Corpus/ not found: give --model or --achievements/--needs, or set SHUOGUO_CORPUS")
                }
                let dev = corpus.appendingPathComponent("dev")
                source.achievements = dev.appendingPathComponent("achievements.jsonl").path
                source.needs = dev.appendingPathComponent("needs.jsonl").path
                log("no model source given: using the development set in \(dev.path)")
            }
            let resources = try source.resources()
            let taxonomy = try Taxonomy.load(from: resources.corpusDirectory.appendingPathComponent("taxonomy.json"))
            let model = try source.loadModel(resources: resources)
            let list = try SupplyList.build(model: model, taxonomy: taxonomy, thesaurus: resources.thesaurus,
                                            request: request, threads: source.threads)
            let data = try list.export(format)
            if let out {
                do { try data.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                    throw EngineError.invalidInput("cannot write \(out): \((error as NSError).localizedDescription)")
                }
                log("wrote \(out): \(list.entries.count) achievements (\(list.newCount) new), \(list.needs.count) needs")
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
