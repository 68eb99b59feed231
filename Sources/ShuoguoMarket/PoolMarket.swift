import Foundation
import ShuoguoData
import ShuoguoEngine

/// The records one pooling run works on: a fitted model whose first `needCount` needs and first
/// `achievementCount` achievements are the market's own, followed by reference records.
///
/// Reference records take part in the statistics only: their achievements anchor needs to the
/// supply side (see ``NeedPooling``) and their needs widen each industry's similarity
/// distribution, but they are never pooled and never proposed as suppliers.
public struct PoolingMarket: Sendable {
    public let model: MatchModel
    /// The market's needs are `model.needs[0..<needCount]`.
    public let needCount: Int
    /// The market's achievements are `model.achievements[0..<achievementCount]`.
    public let achievementCount: Int

    /// A market over the leading records of `model` (all of them by default).
    public init(model: MatchModel, needCount: Int? = nil, achievementCount: Int? = nil) throws {
        let needs = needCount ?? model.needs.count
        let achievements = achievementCount ?? model.achievements.count
        guard (0...model.needs.count).contains(needs) else {
            throw EngineError.invalidInput("the market has \(needs) needs but the model only \(model.needs.count)")
        }
        guard (0...model.achievements.count).contains(achievements) else {
            throw EngineError.invalidInput("the market has \(achievements) achievements but the model only \(model.achievements.count)")
        }
        self.model = model
        self.needCount = needs
        self.achievementCount = achievements
    }

    public var referenceNeedCount: Int { model.needs.count - needCount }
    public var referenceAchievementCount: Int { model.achievements.count - achievementCount }

    /// The prefix of reference record ids, which keeps them apart from the market's ids.
    public static let referencePrefix = "ref:"

    /// Fits the model of a market.
    ///
    /// A market with fewer listings than `configuration.backgroundBelow` (3,000) is fitted, as
    /// every small market is, together with the bundled development corpus — but here its
    /// records join as reference records rather than as background text, so that they can also
    /// anchor and calibrate the pooling (a bundled record whose text equals a market record's is
    /// left out, and the rest get ids prefixed with ``referencePrefix``). `useBackground = false`
    /// turns this off.
    /// - Complexity: that of `MatchModel.build` over the market plus the reference records.
    public static func build(needs: [Need], achievements: [Achievement], resources: Resources,
                             configuration: EngineConfiguration = .init(), threads: Int = 1,
                             progress: (String) -> Void = { _ in }) throws -> PoolingMarket {
        guard !needs.isEmpty else { throw EngineError.invalidInput("no needs to pool") }
        var referenceNeeds: [Need] = []
        var referenceAchievements: [Achievement] = []
        if configuration.useBackground, needs.count + achievements.count < configuration.backgroundBelow {
            let own = Set(needs.map(\.text) + achievements.map(\.text))
            let directory = resources.corpusDirectory.appendingPathComponent("dev")
            if let report = try? JSONLines.readNeeds(at: directory.appendingPathComponent("needs.jsonl")) {
                referenceNeeds = report.records.filter { !own.contains($0.text) }.map { need in
                    var copy = need
                    copy.id = referencePrefix + need.id
                    return copy
                }
            }
            if let report = try? JSONLines.readAchievements(at: directory.appendingPathComponent("achievements.jsonl")) {
                referenceAchievements = report.records.filter { !own.contains($0.text) }.map { achievement in
                    var copy = achievement
                    copy.id = referencePrefix + achievement.id
                    return copy
                }
            }
            if !referenceNeeds.isEmpty || !referenceAchievements.isEmpty {
                progress("small market: \(referenceNeeds.count) needs and \(referenceAchievements.count) achievements of the bundled corpus join as reference")
            }
        }
        let model = try MatchModel.build(achievements: achievements + referenceAchievements, needs: needs + referenceNeeds,
                                         resources: resources, configuration: configuration, threads: threads, progress: progress)
        return try PoolingMarket(model: model, needCount: needs.count, achievementCount: achievements.count)
    }
}
