/// A problem in a qrels or run file, named by file and line.
public struct TrecFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { "\(file):\(line): \(reason)" }
}

/// Graded relevance judgments (TREC qrels: `query 0 document grade`).
public struct Qrels: Sendable {
    /// query → document → grade.
    public private(set) var judgments: [String: [String: Int]] = [:]

    public init(judgments: [String: [String: Int]] = [:]) { self.judgments = judgments }

    /// Parses qrels text. Malformed lines are collected in `errors` and skipped; a repeated
    /// (query, document) pair keeps its last grade, as trec_eval does.
    public static func parse(_ text: String, file: String = "qrels") -> (qrels: Qrels, errors: [TrecFormatError]) {
        var qrels = Qrels()
        var errors: [TrecFormatError] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 4 else {
                errors.append(.init(file: file, line: number + 1, reason: "expected 4 fields (query 0 document grade), found \(fields.count)"))
                continue
            }
            guard let grade = Int(fields[3]) else {
                errors.append(.init(file: file, line: number + 1, reason: "grade '\(fields[3])' is not an integer"))
                continue
            }
            qrels.judgments[String(fields[0]), default: [:]][String(fields[2])] = grade
        }
        return (qrels, errors)
    }
}

/// A ranking run (TREC run: `query Q0 document rank score tag`).
public struct Run: Sendable {
    /// query → (document, score) in file order.
    public private(set) var rankings: [String: [(document: String, score: Double)]] = [:]

    public init(rankings: [String: [(document: String, score: Double)]] = [:]) { self.rankings = rankings }

    public static func parse(_ text: String, file: String = "run") -> (run: Run, errors: [TrecFormatError]) {
        var run = Run()
        var errors: [TrecFormatError] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 6 else {
                errors.append(.init(file: file, line: number + 1, reason: "expected 6 fields (query Q0 document rank score tag), found \(fields.count)"))
                continue
            }
            guard let score = Double(fields[4]), score.isFinite else {
                errors.append(.init(file: file, line: number + 1, reason: "score '\(fields[4])' is not a finite number"))
                continue
            }
            run.rankings[String(fields[0]), default: []].append((String(fields[2]), score))
        }
        return (run, errors)
    }

    /// Writes a run in TREC format, ranks from 1, for the given per-query result lists.
    public static func format(query: String, results: [(document: String, score: Float)], tag: String) -> String {
        var out = ""
        for (rank, item) in results.enumerated() {
            out += "\(query) Q0 \(item.document) \(rank + 1) \(formatScore(item.score)) \(tag)\n"
        }
        return out
    }

    /// Six decimals: enough to keep the order of distinct float scores in practice, and stable.
    public static func formatScore(_ score: Float) -> String {
        let scaled = (Double(score) * 1_000_000).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 1_000_000, fraction = magnitude % 1_000_000
        let digits = String(fraction)
        return (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}

/// The retrieval measures shuoguo reports, computed as trec_eval (and so ir_measures) does:
///
/// - documents of a query are ordered by score descending, ties by document id descending
///   (trec_eval's order; the rank column is ignored);
/// - a document is relevant when its grade ≥ 1; unjudged documents count as grade 0;
/// - nDCG@k = DCG@k / IDCG@k with gain = grade and discount 1 / log₂(rank + 1), the ideal
///   ranking built from all judged grades > 0 of the query;
/// - AP = Σ over relevant retrieved of precision at its rank / number of relevant;
///   RR = 1 / rank of the first relevant; P@k = relevant in top k / k; R@k = relevant in top k / relevant;
/// - every judged query counts: one the run leaves out scores 0 on every measure (as
///   ir_measures counts it); run queries without judgments are ignored.
public enum Measure: String, CaseIterable, Sendable, Codable {
    case ndcg10 = "nDCG@10", ndcg20 = "nDCG@20", map = "MAP", mrr = "MRR", p5 = "P@5"
    case recall10 = "R@10", recall50 = "R@50", recall100 = "R@100"
}

public enum Evaluator {
    /// The per-query values of every measure, for every judged query.
    public static func perQuery(run: Run, qrels: Qrels) -> [String: [Measure: Double]] {
        var out: [String: [Measure: Double]] = [:]
        for (query, judged) in qrels.judgments {
            let ranking = run.rankings[query] ?? []
            let ordered = ranking.sorted { $0.score > $1.score || ($0.score == $1.score && $0.document > $1.document) }
            let grades = ordered.map { max(0, judged[$0.document] ?? 0) }
            let relevantCount = judged.values.filter { $0 >= 1 }.count
            var values: [Measure: Double] = [:]
            values[.ndcg10] = ndcg(grades, ideal: judged.values.filter { $0 > 0 }, cutoff: 10)
            values[.ndcg20] = ndcg(grades, ideal: judged.values.filter { $0 > 0 }, cutoff: 20)
            var hits = 0, precisionSum = 0.0, firstHit: Int?
            for (i, grade) in grades.enumerated() where grade >= 1 {
                hits += 1
                precisionSum += Double(hits) / Double(i + 1)
                if firstHit == nil { firstHit = i + 1 }
            }
            values[.map] = relevantCount > 0 ? precisionSum / Double(relevantCount) : 0
            values[.mrr] = firstHit.map { 1 / Double($0) } ?? 0
            values[.p5] = Double(grades.prefix(5).filter { $0 >= 1 }.count) / 5
            for (measure, cutoff) in [(Measure.recall10, 10), (.recall50, 50), (.recall100, 100)] {
                values[measure] = relevantCount > 0 ? Double(grades.prefix(cutoff).filter { $0 >= 1 }.count) / Double(relevantCount) : 0
            }
            out[query] = values
        }
        return out
    }

    /// Means over queries: all queries under "all", or grouped by `group` (nil → "unknown"),
    /// with the number of queries per group. Sums run in query-id order, so the digits never
    /// depend on hashing order. - Complexity: O(q log q).
    public static func mean(_ perQuery: [String: [Measure: Double]], group: ((String) -> String?)? = nil)
        -> (means: [String: [Measure: Double]], counts: [String: Int]) {
        var sums: [String: [Measure: Double]] = [:]
        var counts: [String: Int] = [:]
        for query in perQuery.keys.sorted() {
            let label = group.map { $0(query) ?? "unknown" } ?? "all"
            counts[label, default: 0] += 1
            for measure in Measure.allCases { sums[label, default: [:]][measure, default: 0] += perQuery[query]![measure] ?? 0 }
        }
        let means = sums.reduce(into: [String: [Measure: Double]]()) { result, entry in
            result[entry.key] = entry.value.mapValues { $0 / Double(counts[entry.key]!) }
        }
        return (means, counts)
    }

    static func ndcg(_ grades: [Int], ideal: [Int], cutoff: Int) -> Double {
        func dcg(_ gains: some Sequence<Int>) -> Double {
            var total = 0.0
            for (i, g) in gains.enumerated() where g > 0 { total += Double(g) / log2(Double(i + 2)) }
            return total
        }
        let best = dcg(ideal.sorted(by: >).prefix(cutoff))
        return best > 0 ? dcg(grades.prefix(cutoff)) / best : 0
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
