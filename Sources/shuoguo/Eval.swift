import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a ranking against graded qrels: nDCG@10/20, MAP, MRR, P@5, R@10/50/100, overall and per industry.",
        discussion: """
            With --run, evaluates that TREC run; otherwise ranks with the model (top 100) first. Measures follow
            trec_eval / ir_measures: relevant means grade ≥ 1, nDCG gains are the grades, the queries are those
            of the qrels, and a query the run leaves out scores 0 (as ir_measures counts it). Per-industry rows
            group queries by their primary industry.
            """)

    @Option(name: .long, help: "TREC qrels (query 0 doc grade).")
    var qrels: String

    @Option(name: .long, help: "A TREC run to evaluate instead of ranking.")
    var run: String?

    /// The model (or --achievements/--needs) used to rank and to group queries by industry.
    @OptionGroup var source: ModelSource

    @Option(name: .long, help: "need-to-achievement or achievement-to-need (when ranking).")
    var direction: Direction = .needToAchievement

    @Option(name: .long, help: "table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if run == nil && !source.isGiven {
            throw ValidationError("give --run, or a model source (--model or --achievements/--needs) to rank with")
        }
        if format == .trec { throw ValidationError("eval prints table or json") }
    }

    func run() async throws {
        try await reportingErrors {
            let qrelsText = try String(contentsOfFile: qrels, encoding: .utf8)
            let parsedQrels = Qrels.parse(qrelsText, file: qrels)
            parsedQrels.errors.forEach { log($0.description) }

            var industryOf: [String: String] = [:]
            var runValue: Run
            if let run {
                let parsed = Run.parse(try String(contentsOfFile: run, encoding: .utf8), file: run)
                parsed.errors.forEach { log($0.description) }
                runValue = parsed.run
            } else {
                runValue = Run()
            }
            if source.isGiven {
                let resources = try source.resources()
                let built = try source.loadModel(resources: resources)
                for n in built.needs { industryOf[n.id] = n.industry.first?.rawValue }
                for a in built.achievements { industryOf[a.id] = a.industry.first?.rawValue }
                if run == nil {
                    let rankings = built.rank(direction, top: 100, thesaurus: resources.thesaurus, threads: source.threads)
                    let queryIDs = direction == .needToAchievement ? built.needs.map(\.id) : built.achievements.map(\.id)
                    let candidateIDs = direction == .needToAchievement ? built.achievements.map(\.id) : built.needs.map(\.id)
                    var text = ""
                    for (q, ranking) in rankings.enumerated() {
                        text += Run.format(query: queryIDs[q], results: ranking.map { (candidateIDs[$0.index], $0.score) }, tag: "shuoguo")
                    }
                    runValue = Run.parse(text).run
                }
            }
            let perQuery = Evaluator.perQuery(run: runValue, qrels: parsedQrels.qrels)
            var (table, counts) = Evaluator.mean(perQuery)
            if !industryOf.isEmpty {
                let groups = Evaluator.mean(perQuery) { industryOf[$0] }
                table.merge(groups.means) { $1 }
                counts.merge(groups.counts) { $1 }
            }
            let order = ["all"] + Industry.allCases.map(\.rawValue) + ["unknown"]
            let labels = order.filter { table[$0] != nil }
            if format == .json {
                var object: [String: [String: Double]] = [:]
                for label in labels {
                    var row = Dictionary(uniqueKeysWithValues: table[label]!.map { ($0.key.rawValue, $0.value) })
                    row["queries"] = Double(counts[label] ?? 0)
                    object[label] = row
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
            } else {
                print("group      queries " + Measure.allCases.map { $0.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) }.joined(separator: " "))
                for label in labels {
                    let values = Measure.allCases.map { String(format: "%.4f  ", table[label]![$0] ?? 0) }.joined(separator: " ")
                    print(label.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " %7d ", counts[label] ?? 0) + values)
                }
            }
        }
    }
}
