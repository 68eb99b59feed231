import Foundation
import Testing
import ShuoguoData
@testable import ShuoguoMarket

@Suite struct TaxonomyTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    @Test func bundledTaxonomyCoversEveryIndustry() throws {
        let taxonomy = try Taxonomy.load(from: Self.corpus.appendingPathComponent("taxonomy.json"))
        #expect(taxonomy.industries.map(\.code) == Industry.allCases.map(\.rawValue))
        #expect(taxonomy.entry(.lowalt).tracks.contains { $0.name.contains("eVTOL") || $0.name.contains("电动垂直起降") })
        #expect(taxonomy.marine.fields.count == 8 && taxonomy.marine.fields.flatMap(\.items).count == 24)
        #expect(taxonomy.crosswalk("集成电路")?.industries == [.it])
        #expect(taxonomy.crosswalk("不存在的产业链") == nil)
    }

    @Test func aTaxonomyMissingAnIndustryIsRefused() throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.corpus.appendingPathComponent("taxonomy.json"))) as! [String: Any]
        object["industries"] = (object["industries"] as! [[String: Any]]).filter { $0["code"] as? String != "ai" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("taxonomy-\(ProcessInfo.processInfo.processIdentifier).json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        #expect(throws: TaxonomyError.self) { try Taxonomy.load(from: url) }
    }
}
