import Foundation
import Testing
import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoText
import ShuoguoVectors
@testable import ShuoguoMarket

/// A small market with two planted pools (rotating-machinery fault warning; mould on bread),
/// a copy of one pool member, two needs of one enterprise on one problem, and unrelated needs.
enum PoolFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let resources: Resources = try! Resources.load(corpusDirectory: root.appendingPathComponent("Corpus"))

    static func need(_ id: String, _ title: String, _ description: String, _ enterprise: String, _ industry: Industry,
                     size: EnterpriseSize = .sme, budget: Double? = nil, channel: NeedChannel? = nil) -> Need {
        Need(id: id, title: title, description: description, enterprise: enterprise, enterpriseSize: size, channel: channel,
             industry: [industry], budgetWan: budget)
    }

    static let needs: [Need] = [
        need("P01", "风机轴承坏了才知道", "车间的引风机和循环水泵以前都是坏了再修，上个月一台风机轴承抱死，整条线停了两天。巡检工拿测温枪测一测，早期毛病根本看不出来。",
             "青岛甲化工有限公司", .equip, budget: 40),
        need("P02", "泵站电机声音发闷要出毛病", "泵站几十台电机和水泵，老师傅走一圈就知道哪台声音发闷要坏，他快退休了，年轻人听不出来，想找个能自动发现轴承早期故障的办法。",
             "青岛乙水务有限公司", .equip, budget: 30),
        need("P03", "减速箱与电机轴承在线振动监测预警", "起重机减速箱和电机轴承以人工点检为主，拟建设在线振动监测系统，采集振动与温度数据，区分内外圈和滚动体早期损伤，提前7天给出故障预警，误报率低于5%。",
             "青岛丙港口机械有限公司", .equip, size: .large, budget: 200),
        need("P04", "面包放两天就长毛", "我们的手工面包发到外地，夏天两天就长霉点，客户投诉，又不想多加防腐剂，想让面包多放几天不发霉。",
             "青岛丁食品有限公司", .light, budget: 20),
        need("P05", "馒头卖到外地总发霉", "大馒头和花卷卖到外地，路上两三天就长白毛，退货很多，想找个不用化学防腐剂的保鲜办法延长保质期。",
             "青岛戊面食有限公司", .light),
        need("P06", "吐司常温货架期延长且不使用化学防腐剂", "切片吐司常温货架期需由5天延长至15天，不添加山梨酸钾等化学防腐剂，霉菌总数符合国家标准，口感和风味不下降。",
             "青岛己烘焙有限公司", .light, size: .large, budget: 80),
        need("P07", "光伏板积灰发电量下降", "屋顶光伏板积灰以后发电量掉得厉害，人工清洗成本高，想找自动清洗或者防尘涂层的办法。",
             "青岛庚能源有限公司", .energy),
        need("P08", "养老院老人夜里摔倒没人知道", "养老院晚上值班人少，老人起夜摔倒了有时候过很久才被发现，想要不侵犯隐私的跌倒自动报警。",
             "青岛辛养老服务有限公司", .health),
        need("P09", "注塑外壳缩痕多", "家电注塑外壳表面老有缩痕和熔接线，返工多，想优化模具和工艺参数。", "青岛壬塑胶有限公司", .appliance),
        need("P10", "注塑件缩痕和熔接线返工", "注塑外壳缩痕、熔接线导致外观不良，返工率高，希望从模具和工艺参数上解决缩痕问题。", "青岛壬塑胶有限公司", .appliance),
        // P01 again, sent through another channel with its punctuation retyped.
        need("P11", "风机轴承坏了才知道！", "车间的引风机、循环水泵，以前都是坏了再修；上个月一台风机轴承抱死，整条线停了两天。巡检工拿测温枪测一测，早期毛病根本看不出来",
             "青岛甲化工有限公司", .equip, budget: 40, channel: .event),
    ]

    static func achievement(_ id: String, _ title: String, _ summary: String, _ institution: String, _ industry: Industry) -> Achievement {
        Achievement(id: id, title: title, summary: summary, institution: institution, maturity: 4, industry: [industry])
    }

    static let achievements: [Achievement] = [
        achievement("S01", "旋转机械轴承早期故障振动诊断与预警系统", "基于振动与温度传感器在线监测电机、风机、泵和减速箱的滚动轴承，包络解调与深度学习识别内外圈、滚动体早期损伤，提前预警并给出剩余寿命。",
                    "青岛理工大学", .equip),
        achievement("S02", "烘焙食品天然抑霉保鲜技术", "采用乳酸菌发酵液与天然植物提取物复配，抑制面包、馒头等烘焙面制品霉菌生长，不添加化学防腐剂，常温货架期延长两倍以上。",
                    "中国海洋大学", .light),
        achievement("S03", "光伏组件自清洁防尘涂层", "超疏水自清洁纳米涂层降低光伏组件表面积灰，发电效率提升，减少人工清洗。", "中国科学院青岛生物能源与过程研究所", .energy),
        achievement("S04", "毫米波雷达非接触跌倒检测", "毫米波雷达识别老人跌倒与离床，保护隐私，实时报警推送到护理站。", "青岛大学", .health),
        achievement("S05", "注塑成型缩痕仿真与工艺优化", "模流分析预测缩痕与熔接线位置，优化浇口与保压参数，降低家电外壳外观不良。", "青岛科技大学", .appliance),
        achievement("S06", "食品包装气调保鲜", "气调包装与除氧剂延长熟食与面制品保质期，抑制微生物生长。", "青岛农业大学", .light),
    ]

    static let market: PoolingMarket = try! PoolingMarket.build(needs: needs, achievements: achievements, resources: resources)

    static func pools(_ configuration: PoolingConfiguration = .init(), market: PoolingMarket = PoolFixture.market,
                      threads: Int = 1) throws -> PoolingResult {
        try NeedPooling.pools(in: market, thesaurus: resources.thesaurus, configuration: configuration, threads: threads)
    }

    static func encoded(_ result: PoolingResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try result.pools.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
    }

    /// The development set, pooled once (needs only: the bundled achievements anchor them).
    static let development: (needs: [Need], pools: [String: String], result: PoolingResult) = {
        let dev = root.appendingPathComponent("Corpus/dev")
        let needs = try! JSONLines.readNeeds(at: dev.appendingPathComponent("needs.jsonl")).records
        var labels: [String: String] = [:]
        let table = try! String(contentsOf: dev.appendingPathComponent("pools.tsv"), encoding: .utf8)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            labels[fields[0]] = fields[1] == "-" ? "singleton:" + fields[0] : fields[1]
        }
        let market = try! PoolingMarket.build(needs: needs, achievements: [], resources: resources, threads: 2)
        return (needs, labels, try! pools(market: market, threads: 2))
    }()
}

/// Pair counts of two labellings of the same items, and the indices built on them.
struct PairAgreement {
    var together = 0, predicted = 0, actual = 0, pairs = 0

    init(predicted a: [String], actual b: [String]) {
        precondition(a.count == b.count)
        func choose2(_ n: Int) -> Int { n * (n - 1) / 2 }
        var joint: [String: Int] = [:], left: [String: Int] = [:], right: [String: Int] = [:]
        for (x, y) in zip(a, b) {
            joint[x + "\u{1}" + y, default: 0] += 1
            left[x, default: 0] += 1
            right[y, default: 0] += 1
        }
        together = joint.values.reduce(0) { $0 + choose2($1) }
        predicted = left.values.reduce(0) { $0 + choose2($1) }
        actual = right.values.reduce(0) { $0 + choose2($1) }
        pairs = choose2(a.count)
    }

    /// Hubert and Arabie's adjusted Rand index.
    var adjustedRandIndex: Double {
        let expected = Double(predicted) * Double(actual) / Double(pairs)
        let maximum = (Double(predicted) + Double(actual)) / 2
        return (Double(together) - expected) / (maximum - expected)
    }

    var precision: Double { Double(together) / Double(max(predicted, 1)) }
    var recall: Double { Double(together) / Double(max(actual, 1)) }
}

@Suite struct PoolTests {
    @Test func plantedPoolsAreFoundAndNothingElse() throws {
        let result = try PoolFixture.pools()
        #expect(result.pools.map(\.id) == ["G1", "G2"])
        #expect(result.pools.map { Set($0.needs) } == [["P01", "P02", "P03", "P11"], ["P04", "P05", "P06"]])
        #expect(result.pools[0].members.count == 3)  // the copy is linked, not a member
        #expect(result.pools[0].members.first { $0.id == "P01" }?.copies == ["P11"])
        #expect(result.pools.map(\.industries) == [[.equip], [.light]])
        #expect(result.pools[0].budgetWan == 270 && result.pools[0].budgetedMembers == 3)  // P11's budget is P01's
        #expect(result.pools[1].budgetWan == 100 && result.pools[1].budgetedMembers == 2)
        #expect(result.pools[0].enterprises.count == 3 && result.pools[1].enterprises.count == 3)
        #expect(result.singletons == ["P07", "P08", "P09", "P10"])
        #expect(result.duplicates.map(\.ids) == [["P01", "P11"]])
        #expect(result.anchored && result.proposedSuppliers)
    }

    @Test func needsOfOneEnterpriseAreNotAPool() throws {
        // P09 and P10 share their problem but come from one enterprise: a pool only when one
        // enterprise is allowed to make one.
        var configuration = PoolingConfiguration()
        configuration.minimumEnterprises = 1
        let relaxed = try PoolFixture.pools(configuration)
        #expect(relaxed.pools.contains { Set($0.needs) == ["P09", "P10"] })
        #expect(!(try PoolFixture.pools()).pools.contains { $0.needs.contains("P09") || $0.needs.contains("P10") })
    }

    @Test func membersAreOrderedByDistanceFromTheCore() throws {
        for pool in try PoolFixture.pools().pools {
            let distances = pool.members.map(\.distance)
            #expect(distances == distances.sorted())
            #expect(distances.allSatisfy { $0 >= 0 && $0 < 1 })
            #expect(pool.needs == pool.needs.sorted())  // input order, and the fixture's ids are in input order
        }
    }

    @Test func supplierProposalCoversTheCoreTerms() throws {
        let pools = try PoolFixture.pools().pools
        #expect(pools[0].suppliers?.first?.id == "S01" && pools[0].institutions == ["青岛理工大学"])
        #expect(pools[1].suppliers?.first?.id == "S02" && pools[1].institutions?.first == "中国海洋大学")
        for pool in pools {
            let suppliers = try #require(pool.suppliers)
            let covered = suppliers.flatMap(\.covers)
            // Covered and uncovered terms partition the core, each covered once.
            #expect(Set(covered).count == covered.count)
            #expect(Set(covered).union(pool.uncoveredTerms ?? []) == Set(pool.coreTerms))
            #expect(Set(covered).isDisjoint(with: pool.uncoveredTerms ?? []))
            #expect(suppliers.count <= PoolingConfiguration().maximumSuppliers)
            #expect(suppliers.allSatisfy { !$0.covers.isEmpty })
        }
    }

    @Test func theProposalCoversTheProblemsTermsAndLeavesColloquialOnesOut() throws {
        let pools = try PoolFixture.pools().pools
        let covered = pools.map { Set(($0.suppliers ?? []).flatMap(\.covers)) }
        #expect(["轴承", "振动", "早期"].allSatisfy(covered[0].contains))
        #expect(["防腐剂", "货架期", "霉菌"].allSatisfy(covered[1].contains))
    }

    @Test func greedyCoverTakesTheLargestWeightedGainFirst() throws {
        let market = PoolFixture.market, model = market.model
        let space = PoolingSpace(model: model, population: Array(0..<market.needCount), thesaurus: nil,
                                 configuration: .init(), threads: 1)
        let column = { (term: String) in try #require(model.tfidf.termIndex[term]) }
        let core = [(column: try column("轴承"), score: Float(0.3)), (column: try column("振动"), score: Float(0.2)),
                    (column: try column("霉菌"), score: Float(0.25)), (column: try column("防腐剂"), score: Float(0.1))]
        let relatives = Dictionary(uniqueKeysWithValues: core.map { ($0.column, [$0.column]) })
        let candidates = [ScoredIndex(index: 1, score: 0.5), ScoredIndex(index: 0, score: 0.4), ScoredIndex(index: 5, score: 0.3)]
        var configuration = PoolingConfiguration()
        let profiler = PoolProfiler(market: market, space: space, thesaurus: nil, configuration: configuration)
        // S01 gains 0.4 × 0.5 = 0.20, S02 0.5 × 0.35 = 0.175: S01 first, then S02; S06 adds nothing.
        let both = profiler.cover(core: core, candidates: candidates, relatives: relatives)
        #expect(both.suppliers.map(\.id) == ["S01", "S02"])
        #expect(both.suppliers.map(\.covers) == [["轴承", "振动"], ["霉菌", "防腐剂"]])
        #expect(both.uncovered.isEmpty)
        configuration.maximumSuppliers = 1
        let one = PoolProfiler(market: market, space: space, thesaurus: nil, configuration: configuration)
            .cover(core: core, candidates: candidates, relatives: relatives)
        #expect(one.suppliers.map(\.id) == ["S01"] && one.uncovered == ["霉菌", "防腐剂"])
        // When no candidate holds a core term, the best match alone is proposed.
        let none = profiler.cover(core: core, candidates: [ScoredIndex(index: 2, score: 0.2)], relatives: relatives)
        #expect(none.suppliers.map(\.id) == ["S03"] && none.suppliers[0].covers.isEmpty && none.uncovered.count == 4)
    }

    @Test func withoutAchievementsThereAreNoSuppliersButTheSamePools() throws {
        let needsOnly = try PoolingMarket.build(needs: PoolFixture.needs, achievements: [], resources: PoolFixture.resources)
        let result = try PoolFixture.pools(market: needsOnly)
        #expect(!result.proposedSuppliers && result.anchored)  // the bundled achievements still anchor
        #expect(result.pools.allSatisfy { $0.suppliers == nil && $0.institutions == nil && $0.uncoveredTerms == nil })
        #expect(result.pools.map { Set($0.needs) } == [["P01", "P02", "P03", "P11"], ["P04", "P05", "P06"]])
    }

    @Test func labelsAreChineseTermsFromTheMembers() throws {
        var checked = 0
        for (needs, pools) in [(PoolFixture.needs, try PoolFixture.pools().pools),
                               (PoolFixture.development.needs, PoolFixture.development.result.pools)] {
            let byID = Dictionary(uniqueKeysWithValues: needs.map { ($0.id, $0) })
            for pool in pools {
                let texts = pool.members.map { TextNormalizer.normalize(byID[$0.id]!.text) }
                let terms = pool.label.components(separatedBy: "、")
                #expect(!terms.isEmpty && terms.count <= PoolingConfiguration().labelTerms)
                for term in terms {
                    #expect(term.unicodeScalars.contains { $0.properties.isIdeographic }, "\(pool.id): \(term)")
                    #expect(texts.contains { $0.contains(term) }, "\(pool.id): \(term) is in no member's text")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test func outputIsIdenticalAcrossRunsAndThreadCounts() throws {
        let first = try PoolFixture.encoded(PoolFixture.pools())
        let again = try PoolFixture.encoded(PoolFixture.pools(threads: 2))
        let rebuilt = try PoolFixture.encoded(PoolFixture.pools(market: try PoolingMarket.build(
            needs: PoolFixture.needs, achievements: PoolFixture.achievements, resources: PoolFixture.resources, threads: 2)))
        #expect(first == again && first == rebuilt)
        #expect(first.hasPrefix("{\"budget_wan\":270,\"budgeted_members\":3,\"core_terms\":["))
    }

    @Test func developmentSetPoolsAgreeWithTheLabels() throws {
        let (needs, labels, result) = PoolFixture.development
        var assigned: [String: String] = [:]
        for pool in result.pools {
            for id in pool.needs {
                #expect(assigned[id] == nil, "\(id) is in two pools")
                assigned[id] = pool.id
            }
        }
        let ids = needs.map(\.id)
        let agreement = PairAgreement(predicted: ids.map { assigned[$0] ?? "singleton:" + $0 }, actual: ids.map { labels[$0]! })
        print(String(format: "development set: %d pools, ARI %.4f, pair precision %.3f, recall %.3f",
                     result.pools.count, agreement.adjustedRandIndex, agreement.precision, agreement.recall))
        #expect(agreement.adjustedRandIndex >= 0.6)
        #expect(agreement.precision >= 0.55 && agreement.recall >= 0.55)
        #expect(result.pools.allSatisfy { $0.members.count >= 2 && $0.enterprises.count >= 2 })
    }

    @Test("needs without an industry are routed to one before pooling, which keeps pools apart")
    func unlabelledNeedsAreRoutedBeforePooling() throws {
        let (needs, labels, _) = PoolFixture.development
        let bare = needs.map { need in
            var copy = need
            copy.industry = []
            return copy
        }
        // The router learned from these very records (the cross-validated figure is in the README).
        let filled = RoutingFixture.model.fillingMissingIndustries(bare, threads: 2)
        #expect(filled.filled == needs.count)
        #expect(filled.needs.allSatisfy { !$0.industry.isEmpty })
        #expect(zip(filled.needs, bare).allSatisfy { $0.id == $1.id && $0.text == $1.text })
        let stated = RoutingFixture.model.fillingMissingIndustries(needs)
        #expect(stated.filled == 0 && stated.needs == needs)

        let ids = needs.map(\.id)
        func agreement(_ pooled: [Need]) throws -> PairAgreement {
            let market = try PoolingMarket.build(needs: pooled, achievements: [], resources: PoolFixture.resources, threads: 2)
            let result = try PoolFixture.pools(market: market, threads: 2)
            var assigned: [String: String] = [:]
            for pool in result.pools { for id in pool.needs { assigned[id] = pool.id } }
            return PairAgreement(predicted: ids.map { assigned[$0] ?? "singleton:" + $0 }, actual: ids.map { labels[$0]! })
        }
        let routed = try agreement(filled.needs).adjustedRandIndex
        let lumped = try agreement(bare).adjustedRandIndex
        print(String(format: "development set without industries: ARI %.4f routed, %.4f in one block", routed, lumped))
        #expect(routed >= 0.45)
        #expect(routed >= lumped + 0.1)
    }

    @Test func adjustedRandIndexMatchesKnownValues() {
        #expect(PairAgreement(predicted: ["a", "a", "b", "b"], actual: ["x", "x", "y", "y"]).adjustedRandIndex == 1)
        // scikit-learn: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 0.5714285714285715
        let value = PairAgreement(predicted: ["0", "0", "1", "2"], actual: ["0", "0", "1", "1"]).adjustedRandIndex
        #expect(abs(value - 4.0 / 7.0) < 1e-12)
    }

    @Test func closedFormStatisticsEqualDirectComputation() throws {
        var generator = SplitMix64(seed: 7)
        var all = DenseMatrix(rows: 40, columns: 6)
        for i in all.storage.indices { all.storage[i] = Float(Double(generator.next() % 2001) / 1000 - 1) }
        all.normalizeRows()
        let market = try DenseMatrix(rows: 15, columns: 6, storage: Array(all.storage[0..<(15 * 6)]))
        let (mean, deviation) = PoolingSpace.statistics(block: all, market: market)
        for i in 0..<15 {
            var cosines: [Double] = []
            for j in 0..<40 where j != i {
                cosines.append((0..<6).reduce(0.0) { $0 + Double(all[i, $1]) * Double(all[j, $1]) })
            }
            let mu = cosines.reduce(0, +) / Double(cosines.count)
            let sigma = (cosines.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(cosines.count)).squareRoot()
            #expect(abs(Double(mean[i]) - mu) < 1e-4)
            #expect(abs(Double(deviation[i]) - sigma) < 1e-3)
        }
    }

    @Test func averageLinkageMergesUntilTheThreshold() {
        typealias Link = PoolingSpace.Link
        // Two triangles (strengths 3) joined by one link of 3 between nodes 2 and 3: the groups
        // {0,1,2} and {3,4,5} form; their linkage is 3/9 = 0.33 < 2, so they stay apart. Node 6
        // has one weak link and stays alone.
        let links = [Link(a: 0, b: 1, strength: 3), Link(a: 0, b: 2, strength: 3), Link(a: 1, b: 2, strength: 3),
                     Link(a: 3, b: 4, strength: 3), Link(a: 3, b: 5, strength: 3), Link(a: 4, b: 5, strength: 3),
                     Link(a: 2, b: 3, strength: 3), Link(a: 5, b: 6, strength: 1)]
        #expect(AverageLinkage.clusters(nodeCount: 7, links: links, threshold: 2) == [[0, 1, 2], [3, 4, 5], [6]])
        // A lower threshold joins the triangles; a higher one keeps every node apart.
        #expect(AverageLinkage.clusters(nodeCount: 7, links: links, threshold: 0.3) == [[0, 1, 2, 3, 4, 5], [6]])
        #expect(AverageLinkage.clusters(nodeCount: 7, links: links, threshold: 3.5).count == 7)
        // The strongest pair merges first: with 0–1 at 5, a third node joins at (3 + 3)/2 = 3.
        let chain = [Link(a: 0, b: 1, strength: 5), Link(a: 1, b: 2, strength: 3), Link(a: 0, b: 2, strength: 3)]
        #expect(AverageLinkage.clusters(nodeCount: 3, links: chain, threshold: 3) == [[0, 1, 2]])
        #expect(AverageLinkage.clusters(nodeCount: 3, links: chain, threshold: 3.01) == [[0, 1], [2]])
    }

    @Test func invalidMarketsAndSettingsAreRefused() throws {
        #expect(throws: EngineError.self) { try PoolingMarket(model: PoolFixture.market.model, needCount: 10_000) }
        #expect(throws: EngineError.self) { try PoolingMarket(model: PoolFixture.market.model, achievementCount: -1) }
        #expect(throws: EngineError.self) {
            try PoolingMarket.build(needs: [], achievements: PoolFixture.achievements, resources: PoolFixture.resources)
        }
        var configuration = PoolingConfiguration()
        configuration.minimumMembers = 1
        #expect(throws: EngineError.self) { try PoolFixture.pools(configuration) }
    }
}
