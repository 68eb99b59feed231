import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoMarket
import ShuoguoRanking

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, trec
}

extension Direction: ExpressibleByArgument {}

/// Hard filters as command-line options.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("industry"), help: "Keep only candidates of this industry code (it, ai, health, nev, lowalt, energy, equip, appliance, chem, light, future).")
    var industry: String?

    @Option(name: .long, help: "Keep only candidates in this 区(市).")
    var region: String?

    @Option(name: .long, help: "Keep only achievements with at least this 技术成熟度 (1–5).")
    var minMaturity: Int?

    @Flag(name: .long, help: "Drop achievements below the need's min_maturity.")
    var enforceNeedMaturity = false

    @Flag(name: .long, help: "Require transfer modes to meet the need's expected modes (when both are given).")
    var requireModeOverlap = false

    @Flag(name: .long, help: "Drop achievements whose 转化意愿 is 无.")
    var excludeUnwilling = false

    @Flag(name: .long, help: "All three: need's maturity, mode overlap, willingness.")
    var strict = false

    func validate() throws {
        if let industry, Industry(rawValue: industry) == nil {
            throw ValidationError("unknown industry code '\(industry)'; use one of " + Industry.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let minMaturity, !(1...5).contains(minMaturity) { throw ValidationError("--min-maturity must be within 1...5") }
    }

    func filters(model: MatchModel) -> MatchFilters {
        var f = MatchFilters()
        if let industry, let code = Industry(rawValue: industry) { f.industries = 1 << UInt16(Industry.allCases.firstIndex(of: code)!) }
        if let region { f.region = model.regionID(region) }
        if let minMaturity { f.minimumMaturity = Int8(minMaturity) }
        f.enforceNeedMaturity = enforceNeedMaturity || strict
        f.requireModeOverlap = requireModeOverlap || strict
        f.excludeUnwilling = excludeUnwilling || strict
        return f
    }
}

struct Match: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank achievements for every need (or needs for every achievement), with reasons.",
        discussion: "--format trec prints a TREC run (query Q0 doc rank score tag) for trec_eval and ir_measures; json prints one object per query per line.")

    @OptionGroup var source: ModelSource
    @OptionGroup var filterOptions: FilterOptions

    @Option(name: .long, help: "need-to-achievement or achievement-to-need.")
    var direction: Direction = .needToAchievement

    @Option(name: .long, help: "Results per query.")
    var top: Int = 10

    @Option(name: .long, help: "table, json or trec.")
    var format: OutputFormat = .table

    @Option(name: .customLong("query"), help: "Rank only this query id (repeatable).")
    var queryIDs: [String] = []

    @Option(name: .long, help: "New queries (needs or achievements JSONL, per --direction) folded into the model's space without a refit.")
    var queries: String?

    @Option(name: .long, help: "The tag column of a TREC run.")
    var tag: String = "shuoguo"

    @Flag(name: .long, help: "Rank near-duplicate listings separately instead of linking each copy to its primary.")
    var keepDuplicates = false

    func validate() throws {
        try source.requireSource()
        guard top >= 1 && top <= 10_000 else { throw ValidationError("--top must be within 1...10000") }
    }

    func run() async throws {
        try await reportingErrors { try execute() }
    }

    private func execute() throws {
        do {
            let resources = try source.resources()
            let model = try source.loadModel(resources: resources)
            let filters = filterOptions.filters(model: model)
            let thesaurus: Thesaurus? = resources.thesaurus
            var queryTitles: [(id: String, title: String)] = []
            var vectors: [QueryVector] = []
            var storedQueries: [Int] = []
            var foldedIn: [FoldedQuery] = []
            if let queries {
                let url = URL(fileURLWithPath: queries)
                if direction == .needToAchievement {
                    for need in try nonEmpty(Inputs.needs(at: url, log: log), queries, "needs") {
                        queryTitles.append((need.id, need.title))
                        let expanded = model.foldIn(need: need, analyzer: resources.analyzer, thesaurus: thesaurus)
                        vectors.append(expanded.vector)
                        foldedIn.append(.need(need, expanded))
                    }
                } else {
                    for achievement in try nonEmpty(Inputs.achievements(at: url, log: log), queries, "achievements") {
                        queryTitles.append((achievement.id, achievement.title))
                        let expanded = model.foldIn(achievement: achievement, analyzer: resources.analyzer, thesaurus: thesaurus)
                        vectors.append(expanded.vector)
                        foldedIn.append(.achievement(achievement, expanded))
                    }
                }
            } else {
                let ids = direction == .needToAchievement ? model.needs.map(\.id) : model.achievements.map(\.id)
                let titles = direction == .needToAchievement ? model.needs.map(\.title) : model.achievements.map(\.title)
                let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
                var selected: [Int] = []
                for id in queryIDs {
                    guard let i = index[id] else { throw EngineError.unknownRecord(kind: direction == .needToAchievement ? "need" : "achievement", id: id) }
                    selected.append(i)
                }
                if queryIDs.isEmpty { selected = Array(ids.indices) }
                for i in selected {
                    queryTitles.append((ids[i], titles[i]))
                    vectors.append(model.query(direction: direction, index: i, thesaurus: thesaurus).vector)
                    storedQueries.append(i)
                }
            }
            var progress: (@Sendable (Int) -> Void)?
            if vectors.count >= 500 {
                let meter = ProgressMeter(total: vectors.count, step: 1000)
                progress = { meter.advance($0) }
            }
            // Near-duplicate listings (the same achievement or need submitted twice) are linked,
            // not ranked twice: a copy is dropped from the results and named beside its primary.
            var copyOf: [Int: Int] = [:], copies: [Int: [String]] = [:]
            if !keepDuplicates {
                let detector = DuplicateDetector()
                let groups = direction == .needToAchievement ? detector.groups(model.achievements) : detector.groups(model.needs)
                for group in groups {
                    for copy in group.copies {
                        copyOf[copy.index] = group.primaryIndex
                        copies[group.primaryIndex, default: []].append(copy.id)
                    }
                }
            }
            let rankings = model.ranker(direction, filters: filters)
                .rank(vectors, top: top + min(copyOf.count, top), threads: source.threads, progress: progress)
                .map { Array($0.filter { copyOf[$0.index] == nil }.prefix(top)) }

            var out = Output()
            let candidateIDs = direction == .needToAchievement ? model.achievements.map(\.id) : model.needs.map(\.id)
            let candidateTitles = direction == .needToAchievement ? model.achievements.map(\.title) : model.needs.map(\.title)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for (q, ranking) in rankings.enumerated() {
                let (queryID, queryTitle) = queryTitles[q]
                switch format {
                case .trec:
                    out.write(Run.format(query: queryID, results: ranking.map { (candidateIDs[$0.index], $0.score) }, tag: tag))
                case .table:
                    out.write("\(queryID)  \(queryTitle)\n")
                    if ranking.isEmpty { out.write("    （无符合条件的候选）\n") }
                    for (rank, item) in ranking.enumerated() {
                        var line = String(format: "%4d  %.4f  ", rank + 1, item.score) + "\(candidateIDs[item.index])  \(candidateTitles[item.index])"
                        let explanation = reasons(model, resources, q, item.index, storedQueries, foldedIn)
                        if !explanation.sharedTerms.isEmpty {
                            line += "  〔" + explanation.sharedTerms.prefix(4).map(\.term).joined(separator: "、") + "〕"
                        }
                        if let linked = copies[item.index] { line += "  （重复登记：" + linked.joined(separator: "、") + "）" }
                        out.write(line + "\n")
                    }
                case .json:
                    let results = ranking.enumerated().map { rank, item in
                        MatchLine.Result(rank: rank + 1, id: candidateIDs[item.index], title: candidateTitles[item.index], score: item.score,
                                         reasons: reasons(model, resources, q, item.index, storedQueries, foldedIn),
                                         duplicates: copies[item.index])
                    }
                    let line = MatchLine(direction: direction, query: queryID, title: queryTitle, results: results)
                    out.write(String(decoding: try encoder.encode(line), as: UTF8.self) + "\n")
                }
            }
            out.flush()
        }
    }

    /// The reasons for one result, for a stored or a folded-in query.
    private func reasons(_ model: MatchModel, _ resources: Resources, _ q: Int, _ candidate: Int,
                         _ stored: [Int], _ foldedIn: [FoldedQuery]) -> PairExplanation {
        let thesaurus = resources.thesaurus
        if q < stored.count {
            return direction == .needToAchievement
                ? model.explain(need: stored[q], achievement: candidate, direction: direction, thesaurus: thesaurus)
                : model.explain(need: candidate, achievement: stored[q], direction: direction, thesaurus: thesaurus)
        }
        switch foldedIn[q] {
        case .need(let need, let expanded):
            return model.explain(foldedIn: expanded, need: need, candidate: candidate, analyzer: resources.analyzer, thesaurus: thesaurus)
        case .achievement(let achievement, let expanded):
            return model.explain(foldedIn: expanded, achievement: achievement, candidate: candidate, analyzer: resources.analyzer, thesaurus: thesaurus)
        }
    }
}

/// A query that is not in the model, with its expanded vector.
enum FoldedQuery {
    case need(Need, ExpandedQuery)
    case achievement(Achievement, ExpandedQuery)
}

/// One line of `match --format json`.
struct MatchLine: Encodable {
    struct Result: Encodable {
        var rank: Int
        var id: String
        var title: String
        var score: Float
        var reasons: PairExplanation?
        /// Ids of near-duplicate listings of this result, linked instead of ranked.
        var duplicates: [String]?
    }
    var direction: Direction
    var query: String
    var title: String
    var results: [Result]
}
