import Foundation
import ShuoguoData
import ShuoguoEngine
@testable import ShuoguoMarket

/// The bundled corpus, the development set's examples and one router fitted on all of them,
/// loaded once for the routing, push and lint suites.
enum RoutingFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = root.appendingPathComponent("Corpus")
    static let resources: Resources = try! Resources.load(corpusDirectory: corpus)
    static let taxonomy: Taxonomy = try! Taxonomy.load(from: corpus.appendingPathComponent("taxonomy.json"))
    static let examples: [RoutingExample] = try! RoutingTrainingSet.load(corpus: corpus)
    static let model: RoutingModel = try! RoutingModel.fit(examples: examples, resources: resources, taxonomy: taxonomy, threads: 2)
    static let table: PushTable = try! PushTable.load(from: corpus.appendingPathComponent("push.json"))
    static let pushText: String = try! String(contentsOf: corpus.appendingPathComponent("push.json"), encoding: .utf8)

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("shuoguo-routing-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    }

    /// A routed decision with chosen industries, for push tests that should not depend on the classifier.
    static func decision(_ industries: [Industry], marine: Bool = false, unclear: Bool = false) -> RouteDecision {
        let best = industries.first ?? .it
        return RouteDecision(industries: unclear ? [] : industries, probabilities: Industry.allCases.map { $0 == best ? 0.9 : 0.01 },
                             confidence: unclear ? 0.3 : 0.9, candidates: [IndustryScore(industry: best, probability: unclear ? 0.3 : 0.9)],
                             unclear: unclear, marine: marine, marineConfidence: 0.9, marineSector: nil, tracks: [], keywords: [], neighbours: [])
    }
}
