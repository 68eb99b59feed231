import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoVectors

/// Cross-validation of the router on labelled examples: every example is routed by a model
/// fitted without it (nor, with grouped folds, without any example of its group).
public enum RoutingEvaluation {
    /// How the examples are split.
    public enum Split: String, Sendable, CaseIterable {
        /// Examples shuffled one by one: near-identical siblings of a topic can straddle the split.
        case random
        /// Whole groups (development topics) shuffled and dealt to folds, largest first onto
        /// the smallest fold: no group is on both sides.
        case grouped
    }

    /// The fold (0..<folds) of every example; deterministic for a seed.
    public static func folds(_ examples: [RoutingExample], count: Int, split: Split, seed: UInt64 = 20250601) -> [Int] {
        precondition(count >= 2, "cross-validation needs at least two folds")
        var generator = SplitMix64(seed: seed)
        switch split {
        case .random:
            var order = Array(examples.indices)
            order.shuffle(using: &generator)
            var fold = [Int](repeating: 0, count: examples.count)
            for (position, index) in order.enumerated() { fold[index] = position % count }
            return fold
        case .grouped:
            var members: [String: [Int]] = [:]
            for (i, example) in examples.enumerated() { members[example.group, default: []].append(i) }
            var groups = members.keys.sorted()
            groups.shuffle(using: &generator)
            // Stable sort by size, largest first: shuffled order breaks ties.
            groups = groups.enumerated().sorted { members[$0.element]!.count > members[$1.element]!.count || (members[$0.element]!.count == members[$1.element]!.count && $0.offset < $1.offset) }.map(\.element)
            var sizes = [Int](repeating: 0, count: count)
            var fold = [Int](repeating: 0, count: examples.count)
            for group in groups {
                let target = sizes.indices.min { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }!
                for i in members[group]! { fold[i] = target }
                sizes[target] += members[group]!.count
            }
            return fold
        }
    }

    /// Routes every example with a model fitted on the other folds. Result i belongs to example i.
    public static func crossValidate(_ examples: [RoutingExample], resources: Resources, taxonomy: Taxonomy,
                                     parameters: RoutingParameters = .init(), folds count: Int = 5, split: Split,
                                     threads: Int = 1) throws -> [RouteDecision] {
        let fold = folds(examples, count: count, split: split)
        var decisions = [RouteDecision?](repeating: nil, count: examples.count)
        for f in 0..<count {
            let training = examples.indices.filter { fold[$0] != f }.map { examples[$0] }
            let testing = examples.indices.filter { fold[$0] == f }
            let model = try RoutingModel.fit(examples: training, resources: resources, taxonomy: taxonomy,
                                             parameters: parameters, threads: threads)
            let routed = model.route(testing.map { examples[$0].record }, threads: threads)
            for (i, decision) in zip(testing, routed) { decisions[i] = decision }
        }
        return decisions.map { $0! }
    }

    /// Measures of routed examples against their labels.
    public struct Summary: Sendable, Equatable {
        public var examples: Int
        /// The best guess's primary equals the labelled primary, over all examples (unclear included).
        public var primaryAccuracy: Double
        /// The best guess's primary is among the labelled industries.
        public var overlapAccuracy: Double
        /// Share of examples not sent to the unclear queue.
        public var coverage: Double
        /// Primary accuracy over the routed (not unclear) examples.
        public var routedAccuracy: Double
        /// Multi-label precision and recall of the routed industry sets (routed examples only).
        public var setPrecision: Double
        public var setRecall: Double
        /// Marine decision accuracy over examples whose marine tag is given.
        public var marineAccuracy: Double
        public var marineLabelled: Int
        /// Over routed examples with a labelled track whose primary was right: the reported
        /// track equals the label (no track reported counts as wrong), and how many were scored.
        public var trackAccuracy: Double
        public var trackLabelled: Int
        /// Share of reported tracks (on correctly routed primaries with a labelled track) that are right.
        public var trackPrecision: Double
    }

    public static func summarize(_ examples: [RoutingExample], _ decisions: [RouteDecision], taxonomy: Taxonomy,
                                 unclearBelow threshold: Double? = nil) -> Summary {
        precondition(examples.count == decisions.count, "one decision per example")
        var primary = 0, overlap = 0, routed = 0, routedRight = 0
        var predictedLabels = 0, rightLabels = 0, givenLabels = 0
        var marineRight = 0, marineLabelled = 0, trackRight = 0, trackLabelled = 0, trackReported = 0
        for (example, decision) in zip(examples, decisions) {
            let guess = decision.candidates[0].industry
            if guess == example.industries[0] { primary += 1 }
            if example.industries.contains(guess) { overlap += 1 }
            let isUnclear = threshold.map { decision.confidence < $0 } ?? decision.unclear
            if let given = example.marine {
                marineLabelled += 1
                if given == decision.marine { marineRight += 1 }
            }
            guard !isUnclear else { continue }
            routed += 1
            let industries = decision.unclear ? [guess] : decision.industries
            if guess == example.industries[0] { routedRight += 1 }
            predictedLabels += industries.count
            givenLabels += example.industries.count
            rightLabels += industries.filter(example.industries.contains).count
            if let track = example.track, guess == example.industries[0],
               let index = RoutingModel.trackIndex(track, of: guess, in: taxonomy) {
                trackLabelled += 1
                let name = taxonomy.entry(guess).tracks[index].name
                if let reported = decision.tracks.first(where: { $0.industry == guess }) {
                    trackReported += 1
                    if reported.track == name { trackRight += 1 }
                }
            }
        }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        return Summary(examples: examples.count, primaryAccuracy: ratio(primary, examples.count),
                       overlapAccuracy: ratio(overlap, examples.count), coverage: ratio(routed, examples.count),
                       routedAccuracy: ratio(routedRight, routed), setPrecision: ratio(rightLabels, predictedLabels),
                       setRecall: ratio(rightLabels, givenLabels), marineAccuracy: ratio(marineRight, marineLabelled),
                       marineLabelled: marineLabelled, trackAccuracy: ratio(trackRight, trackLabelled),
                       trackLabelled: trackLabelled, trackPrecision: ratio(trackRight, trackReported))
    }

    /// The examples whose best guess is not the labelled primary, as TSV with a header: id, kind,
    /// group, labelled industries (primary first), the three candidates with probabilities,
    /// confidence, whether the record was sent to the unclear queue, and the title.
    public static func misrouteTable(_ examples: [RoutingExample], _ decisions: [RouteDecision]) -> String {
        precondition(examples.count == decisions.count, "one decision per example")
        var lines = ["id\tkind\tgroup\tlabels\tcandidates\tconfidence\tunclear\ttitle"]
        for (example, decision) in zip(examples, decisions) where decision.candidates[0].industry != example.industries[0] {
            let candidates = decision.candidates.map { "\($0.industry.rawValue):" + String(format: "%.2f", $0.probability) }
            let title = example.record.title.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
            lines.append([example.record.id, example.record.kind, example.group,
                          example.industries.map(\.rawValue).joined(separator: ","), candidates.joined(separator: " "),
                          String(format: "%.2f", decision.confidence), decision.unclear ? "yes" : "no", title].joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lowest confidence threshold (on a 0.01 grid) at which the routed examples reach
    /// `target` primary accuracy; 1 when none does.
    public static func threshold(_ examples: [RoutingExample], _ decisions: [RouteDecision], target: Double) -> Double {
        for step in 0...100 {
            let t = Double(step) / 100
            var routed = 0, right = 0
            for (example, decision) in zip(examples, decisions) where decision.confidence >= t {
                routed += 1
                if decision.candidates[0].industry == example.industries[0] { right += 1 }
            }
            if routed > 0, Double(right) / Double(routed) >= target { return t }
        }
        return 1
    }

    /// Fits `P(right | m) = 1 / (1 + exp(−(a + b·m)))` by Newton's method (logistic regression on
    /// one feature), where m is a decision's margin `p(primary) − p(runner-up)` and "right" means
    /// the best guess is the labelled primary. Returns (a, b).
    public static func calibration(_ examples: [RoutingExample], _ decisions: [RouteDecision]) -> (intercept: Double, slope: Double) {
        let points = zip(examples, decisions).map { example, decision in
            (m: decision.candidates[0].probability - (decision.candidates.count > 1 ? decision.candidates[1].probability : 0),
             y: decision.candidates[0].industry == example.industries[0] ? 1.0 : 0.0)
        }
        var a = 0.0, b = 0.0
        for _ in 0..<50 {
            var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for (m, y) in points {
                let p = 1 / (1 + Foundation.exp(-(a + b * m)))
                let w = max(p * (1 - p), 1e-12)
                ga += y - p
                gb += (y - p) * m
                haa += w
                hab += w * m
                hbb += w * m * m
            }
            let determinant = haa * hbb - hab * hab
            guard determinant > 1e-12 else { break }
            let da = (hbb * ga - hab * gb) / determinant
            let db = (haa * gb - hab * ga) / determinant
            a += da
            b += db
            if abs(da) + abs(db) < 1e-9 { break }
        }
        return (a, b)
    }
}
