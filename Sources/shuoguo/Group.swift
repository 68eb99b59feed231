import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoMarket
import ShuoguoVectors

/// Output of `group` and `duplicates`: one JSON object per line, or a table for reading.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, table
}

struct Group: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pool enterprise needs that share one problem (行业共性需求 → 集采研发), with a supplier proposal.",
        discussion: """
            Prints one pool per line in the groups.jsonl shape of FORMATS.md — {"id", "label", "needs"} — with
            core_terms, members (distance from the pool's core, linked copies), enterprises, budget_wan,
            industries and, when achievements are given, suppliers (a greedy cover of the core terms by the
            best-matching achievements), their institutions and uncovered_terms. Needs in no pool are left out;
            each need is in at most one pool. A pool has at least 2 members from at least 2 enterprises; a need
            submitted twice becomes one member with its copy linked.

            Needs are pooled within their primary industry when their thesaurus-expanded LSA vectors, anchored
            to the achievements that best answer them, stand out at least 2 standard deviations above each
            need's typical similarity in that industry (average linkage); a need without an industry is first routed
            to one (see route). Small markets use the bundled
            development corpus as reference: its achievements anchor the needs, but are never proposed.
            """)

    @OptionGroup var source: ModelSource

    @Option(name: .long, help: "jsonl or table.")
    var format: ListingFormat = .jsonl

    func validate() throws {
        if source.model == nil && source.needs == nil { throw ValidationError("give --needs (and optionally --achievements), or --model") }
    }

    func run() async throws {
        try await reportingErrors { try execute() }
    }

    private func execute() throws {
        let resources = try source.resources()
        let market = try loadMarket(resources: resources)
        if market.achievementCount == 0 {
            log("no achievements given: pools are listed without suppliers (give --achievements to propose them)")
        }
        let start = Date()
        let result = try NeedPooling.pools(in: market, thesaurus: resources.thesaurus, threads: source.threads)
        let copies = result.duplicates.reduce(0) { $0 + $1.copies.count }
        log(String(format: "pooled %d needs: %d pools, %d singletons, %d copies linked%@ (%.2f s)",
                   market.needCount, result.pools.count, result.singletons.count, copies,
                   result.anchored ? "" : ", not anchored to any achievement", Date().timeIntervalSince(start)))
        var out = Output()
        switch format {
        case .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for pool in result.pools {
                out.write(String(decoding: try encoder.encode(pool), as: UTF8.self) + "\n")
            }
        case .table:
            for pool in result.pools { out.write(Self.table(pool)) }
        }
        out.flush()
    }

    private func loadMarket(resources: Resources) throws -> PoolingMarket {
        BLASThreads.set(1)
        if let model = source.model {
            var loaded = try MatchModel.load(from: URL(fileURLWithPath: model))
            source.applyQueryOptions(&loaded.configuration)
            return try PoolingMarket(model: loaded)
        }
        var needs = try source.needs.map { try Inputs.needs(at: URL(fileURLWithPath: $0), log: log) } ?? []
        let achievements = try source.achievements.map { try Inputs.achievements(at: URL(fileURLWithPath: $0), log: log) } ?? []
        if needs.contains(where: { $0.industry.isEmpty }) {
            let routeStart = Date()
            let taxonomy = try Taxonomy.load(from: resources.corpusDirectory.appendingPathComponent("taxonomy.json"))
            let router = try RoutingModel.fit(examples: try RoutingTrainingSet.load(corpus: resources.corpusDirectory),
                                              resources: resources, taxonomy: taxonomy, threads: source.threads)
            let filled = router.fillingMissingIndustries(needs, threads: source.threads)
            needs = filled.needs
            log(String(format: "%d needs without an industry were routed to one for pooling (%.2f s)", filled.filled,
                       Date().timeIntervalSince(routeStart)))
        }
        let start = Date()
        let market = try PoolingMarket.build(needs: needs, achievements: achievements, resources: resources,
                                             configuration: source.configuration, threads: source.threads, progress: log)
        log(String(format: "model: %d achievements, %d needs, %d terms, k = %d (%.2f s)", market.model.achievements.count,
                   market.model.needs.count, market.model.tfidf.vocabulary.count, market.model.lsa.rank, Date().timeIntervalSince(start)))
        return market
    }

    static func table(_ pool: NeedPool) -> String {
        var text = "\(pool.id)  \(pool.label)\n"
        var facts = ["\(pool.members.count) 项需求", "\(pool.enterprises.count) 家企业"]
        if pool.budgetedMembers > 0 { facts.append(String(format: "预算合计 %g 万元（%d 项报预算）", pool.budgetWan, pool.budgetedMembers)) }
        if !pool.industries.isEmpty { facts.append(pool.industries.map(\.chineseName).joined(separator: "/")) }
        text += "    " + facts.joined(separator: "，") + "\n"
        text += "    核心词：" + pool.coreTerms.joined(separator: "、") + "\n"
        for member in pool.members {
            var line = String(format: "    %.4f  ", member.distance) + "\(member.id)  \(member.title)"
            if let enterprise = member.enterprise { line += "（\(enterprise)）" }
            if !member.copies.isEmpty { line += "  重复提交：" + member.copies.joined(separator: "、") }
            text += line + "\n"
        }
        if let suppliers = pool.suppliers {
            for supplier in suppliers {
                var line = String(format: "    供给 %.4f  ", supplier.score) + "\(supplier.id)  \(supplier.title)"
                if let institution = supplier.institution { line += "（\(institution)）" }
                if !supplier.covers.isEmpty { line += "  覆盖：" + supplier.covers.joined(separator: "、") }
                text += line + "\n"
            }
            if let uncovered = pool.uncoveredTerms, !uncovered.isEmpty { text += "    未覆盖：" + uncovered.joined(separator: "、") + "\n" }
        }
        return text + "\n"
    }
}
