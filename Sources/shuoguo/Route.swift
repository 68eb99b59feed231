import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoMarket
import ShuoguoVectors

enum RouteFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, table
}

struct Route: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Route achievements or needs to the 10+1 industries, tracks and the marine system, and to their 推送机制 destinations.",
        discussion: """
            The classifier learns from the bundled development set (Corpus/dev) and classifies from text only: a \
            record's own industry field is compared with the result, never used to reach it. Records below the \
            confidence threshold are marked unclear instead of guessed. Destinations come from the 推送机制 table \
            (Corpus/push.json by default); --overrides applies brokers' corrections on top. --evaluate prints \
            cross-validated accuracy on the development set instead of routing a file.
            """)

    @Option(name: .long, help: "Achievements JSON Lines (科技成果).")
    var achievements: String?

    @Option(name: .long, help: "Needs JSON Lines (企业技术需求).")
    var needs: String?

    @Option(name: .long, help: "jsonl (one object per record) or table.")
    var format: RouteFormat = .jsonl

    @Option(name: .long, help: "The 推送机制 table (default: push.json in the Corpus/ directory).")
    var pushTable: String?

    @Option(name: .long, help: "Brokers' overrides: JSON object id → field → value.")
    var overrides: String?

    @Option(name: .long, help: "Groups of common needs (groups.jsonl): their members take the 集采研发 path.")
    var groups: String?

    @Option(name: .long, help: "The Corpus/ directory. Default: found next to the binary.")
    var corpus: String?

    @Option(name: .long, help: "Worker threads.")
    var threads: Int = 2

    @Flag(name: .long, help: "Cross-validate the router on the development set (random and topic-grouped folds) and print the measures.")
    var evaluate = false

    @Option(name: .long, help: "Folds for --evaluate.")
    var folds: Int = 5

    @Option(name: .long, help: "With --evaluate: measure against these labels (TSV: id, codes primary first; e.g. Corpus/dev/labels-rules.tsv) instead of the records' industry fields. The router learns from them too.")
    var labels: String?

    @Option(name: .long, help: "With --evaluate: write the records whose grouped-fold guess differs from the labelled primary to this TSV file.")
    var misroutes: String?

    func validate() throws {
        if evaluate {
            if achievements != nil || needs != nil { throw ValidationError("--evaluate uses the development set; leave out --achievements/--needs") }
            guard (2...20).contains(folds) else { throw ValidationError("--folds must be within 2...20") }
        } else if misroutes != nil || labels != nil {
            throw ValidationError("--misroutes and --labels go with --evaluate")
        } else if (achievements == nil) == (needs == nil) {
            throw ValidationError("give exactly one of --achievements or --needs")
        }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be within 1...64") }
    }

    func run() async throws {
        try await reportingErrors {
            BLASThreads.set(1)
            let resources = try Resources.load(corpusDirectory: corpus.map { URL(fileURLWithPath: $0) })
            resources.warnings.forEach { log("warning: \($0)") }
            let taxonomy = try Taxonomy.load(from: resources.corpusDirectory.appendingPathComponent("taxonomy.json"))
            var examples = try RoutingTrainingSet.load(corpus: resources.corpusDirectory)
            if let labels { examples = try RoutingTrainingSet.relabel(examples, from: URL(fileURLWithPath: labels)) }
            let parameters = RoutingParameters()
            if evaluate {
                try runEvaluation(examples: examples, resources: resources, taxonomy: taxonomy, parameters: parameters)
                return
            }
            let url = URL(fileURLWithPath: achievements ?? needs!)
            let table = try PushTable.load(from: pushTable.map { URL(fileURLWithPath: $0) } ?? resources.corpusDirectory.appendingPathComponent("push.json"))
            let corrections = try overrides.map { try PushOverrides.load(from: URL(fileURLWithPath: $0), taxonomy: taxonomy) } ?? PushOverrides()
            var common = Set<String>()
            if let groups {
                let read = try RoutingInput.commonNeeds(at: URL(fileURLWithPath: groups))
                read.issues.forEach { log($0) }
                common = read.needs
            }
            let input = try RoutingInput.read(at: url, needs: needs != nil, taxonomy: taxonomy)
            input.issues.forEach { log($0.description) }
            input.notes.forEach { log($0) }
            log("\(url.relativePath): \(input.records.count) accepted, \(Set(input.issues.map(\.line)).count) rejected")
            let known = Set(input.records.map(\.id))
            for id in corrections.entries.keys.sorted() where !known.contains(id) {
                log("warning: \(overrides!): no record with id '\(id)' in \(url.relativePath); its overrides are unused")
            }
            let start = Date()
            let model = try RoutingModel.fit(examples: examples, resources: resources, taxonomy: taxonomy, parameters: parameters, threads: threads)
            log(String(format: "router: %d labelled examples (%.2f s)", examples.count, Date().timeIntervalSince(start)))
            let routeStart = Date()
            let decisions = model.route(input.records, threads: threads)
            var out = Output()
            if format == .table { out.write("id\t产业\t置信度\t海洋\t细分赛道\t类别\t推送去向\n") }
            var unclear = 0, given = 0, agreeing = 0, overridden = 0
            for (i, (record, decision)) in zip(input.records, decisions).enumerated() {
                let result = RoutingResult.assemble(record: record, decision: decision, legacy: input.legacy[i], table: table,
                                                    overrides: corrections, common: common.contains(record.id))
                if result.decision.unclear { unclear += 1 }
                if !result.overridden.isEmpty { overridden += 1 }
                if let label = record.industry.first {
                    given += 1
                    if label == (result.decision.industries.first ?? result.decision.candidates[0].industry) { agreeing += 1 }
                }
                switch format {
                case .jsonl: out.write(JSONValue.object(result.jsonObject(table: table)).serialized + "\n")
                case .table: out.write(result.tableLine(table: table) + "\n")
                }
            }
            out.flush()
            var summary = String(format: "routed %d records in %.2f s: %d unclear", decisions.count, Date().timeIntervalSince(routeStart), unclear)
            if given > 0 { summary += String(format: "; primary agrees with the given industry for %d of %d (%.3f)", agreeing, given, Double(agreeing) / Double(given)) }
            if overridden > 0 { summary += "; \(overridden) overridden by brokers" }
            log(summary)
        }
    }

    private func runEvaluation(examples: [RoutingExample], resources: Resources, taxonomy: Taxonomy, parameters: RoutingParameters) throws {
        let achievementCount = examples.filter { $0.record.kind == "achievement" }.count
        print("cross-validation on \(resources.corpusDirectory.appendingPathComponent("dev").path): \(examples.count) labelled records "
              + "(\(achievementCount) achievements, \(examples.count - achievementCount) needs), \(folds) folds; unclear below \(parameters.unclearBelow)")
        print("split    part           n  primary  overlap  coverage  routed  set-P   set-R   marine  track   track-P")
        for split in RoutingEvaluation.Split.allCases {
            let start = Date()
            let decisions = try RoutingEvaluation.crossValidate(examples, resources: resources, taxonomy: taxonomy, parameters: parameters,
                                                                folds: folds, split: split, threads: threads)
            for part in ["all", "achievement", "need"] {
                let keep = examples.indices.filter { part == "all" || examples[$0].record.kind == part }
                let s = RoutingEvaluation.summarize(keep.map { examples[$0] }, keep.map { decisions[$0] }, taxonomy: taxonomy)
                print(split.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + part.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + String(format: "%5d  %.4f   %.4f   %.4f    %.4f  %.4f  %.4f  %.4f  %.4f  %.4f",
                               s.examples, s.primaryAccuracy, s.overlapAccuracy, s.coverage, s.routedAccuracy, s.setPrecision,
                               s.setRecall, s.marineAccuracy, s.trackAccuracy, s.trackPrecision))
            }
            if split == .grouped, let misroutes {
                let text = RoutingEvaluation.misrouteTable(examples, decisions)
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: misroutes), options: .atomic) } catch {
                    throw ValidationError("\(misroutes): cannot be written: \(error.localizedDescription)")
                }
                log("\(misroutes): \(text.split(separator: "\n").count - 1) misrouted records")
            }
            let fit = RoutingEvaluation.calibration(examples, decisions)
            let threshold = RoutingEvaluation.threshold(examples, decisions, target: 0.9)
            log(String(format: "%@: calibration fit a = %.3f, b = %.3f; lowest threshold with routed accuracy ≥ 0.90: %.2f (%.1f s)",
                       split.rawValue, fit.intercept, fit.slope, threshold, Date().timeIntervalSince(start)))
        }
        print("""
            primary: best guess = labelled primary, over all records; overlap: best guess among the labelled industries;
            coverage: share not sent to the unclear queue; routed: primary accuracy of the routed records; set-P/R: routed
            industry sets against the labelled sets; marine: over records with a marine tag; track: labelled tracks found
            (track-P: of the tracks reported). random folds split topic siblings; grouped folds keep each topic on one side.
            """)
    }
}
