import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoMarket
import ShuoguoVectors

struct Lint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Flag vague or incomplete listings before matching, with reasons in Chinese for brokers.",
        discussion: """
            Achievements: no application scenario, no quantitative indicators, no maturity, a very short summary, \
            no transfer mode. Needs: too short, only filler words, neither a concrete symptom nor a specification, \
            no enterprise size. Both: no industry (with the router's suggestion) or an industry the text \
            contradicts. Prints one line per flagged record (table) or one object per flagged record (jsonl); \
            --all includes records without flags. Exit status 0 whatever is flagged.
            """)

    @Option(name: .long, help: "Achievements JSON Lines (科技成果).")
    var achievements: String?

    @Option(name: .long, help: "Needs JSON Lines (企业技术需求).")
    var needs: String?

    @Option(name: .long, help: "table or jsonl.")
    var format: RouteFormat = .table

    @Option(name: .long, help: "Report only flags at least this severe: error, warning or info.")
    var minSeverity: String = "info"

    @Flag(name: .long, help: "Also print records without flags.")
    var all = false

    @Option(name: .long, help: "The Corpus/ directory. Default: found next to the binary.")
    var corpus: String?

    @Option(name: .long, help: "Worker threads.")
    var threads: Int = 2

    func validate() throws {
        if (achievements == nil) == (needs == nil) { throw ValidationError("give exactly one of --achievements or --needs") }
        if LintFlag.Severity(rawValue: minSeverity) == nil { throw ValidationError("--min-severity is error, warning or info") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be within 1...64") }
    }

    func run() async throws {
        try await reportingErrors {
            BLASThreads.set(1)
            let resources = try Resources.load(corpusDirectory: corpus.map { URL(fileURLWithPath: $0) })
            resources.warnings.forEach { log("warning: \($0)") }
            let taxonomy = try Taxonomy.load(from: resources.corpusDirectory.appendingPathComponent("taxonomy.json"))
            let url = URL(fileURLWithPath: achievements ?? needs!)
            let input = try RoutingInput.read(at: url, needs: needs != nil, taxonomy: taxonomy)
            input.issues.forEach { log($0.description) }
            input.notes.forEach { log($0) }
            log("\(url.relativePath): \(input.records.count) accepted, \(Set(input.issues.map(\.line)).count) rejected")
            let examples = try RoutingTrainingSet.load(corpus: resources.corpusDirectory)
            let router = try RoutingModel.fit(examples: examples, resources: resources, taxonomy: taxonomy, threads: threads)
            let decisions = router.route(input.records, threads: threads)
            let linter = ListingLinter(analyzer: resources.analyzer, thesaurusDirectory: resources.corpusDirectory.appendingPathComponent("thesaurus"))
            let floor = LintFlag.Severity(rawValue: minSeverity)!
            var out = Output()
            var counts: [LintFlag.Severity: Int] = [:]
            var flagged = 0
            for var report in linter.lint(input.records, decisions: decisions) {
                report.flags.removeAll { $0.severity > floor }
                for flag in report.flags { counts[flag.severity, default: 0] += 1 }
                if !report.flags.isEmpty { flagged += 1 }
                guard all || !report.flags.isEmpty else { continue }
                switch format {
                case .jsonl: out.write(JSONValue.object(report.jsonObject).serialized + "\n")
                case .table: out.write(report.tableLine + "\n")
                }
            }
            out.flush()
            let tally = LintFlag.Severity.allCases.map { "\(counts[$0] ?? 0) \($0.chineseLabel)" }.joined(separator: ", ")
            log("lint: \(input.records.count) records, \(flagged) flagged (\(tally))")
        }
    }
}
