import ArgumentParser
import Foundation
import ShuoguoEngine

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain one need–achievement pair in readable Chinese (or JSON).")

    @OptionGroup var source: ModelSource

    @Option(name: .long, help: "The need's id.")
    var need: String

    @Option(name: .long, help: "The achievement's id.")
    var achievement: String

    @Option(name: .long, help: "Which side asks: need-to-achievement or achievement-to-need.")
    var direction: Direction = .needToAchievement

    @Flag(name: .long, help: "Print the explanation as JSON.")
    var json = false

    func validate() throws { try source.requireSource() }

    func run() async throws {
        try await reportingErrors {
            let resources = try source.resources()
            let model = try source.loadModel(resources: resources)
            guard let n = model.needIndex[need] else { throw EngineError.unknownRecord(kind: "need", id: need) }
            guard let a = model.achievementIndex[achievement] else { throw EngineError.unknownRecord(kind: "achievement", id: achievement) }
            let explanation = model.explain(need: n, achievement: a, direction: direction, thesaurus: resources.thesaurus)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
            } else {
                print(explanation.chineseReport(needTitle: model.needs[n].title, achievementTitle: model.achievements[a].title))
            }
        }
    }
}
