import Foundation
import ShuoguoText

/// The domain thesaurus: synonyms, symptom ↔ technique links and broader/narrower terms,
/// read from `Corpus/thesaurus/*.tsv` (`kind<TAB>head<TAB>term|term|…`, `#` comments).
///
/// Every phrase is segmented with the engine's analyzer, so a relation links *term sets*.
/// Query expansion adds, for each relation whose source terms occur in the query (at least
/// half of them, see `links(matching:)`), the target terms at `weight(kind) · c · w(source)`,
/// where c is the covered fraction and w(source) the smallest TF-IDF weight of the source
/// terms present in the query. Relations are used in both directions (a need names the
/// symptom, an achievement the technique). Default weights (chosen on the development set): syn 1.0, symptom 1.0, narrower 0.4.
public struct Thesaurus: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case synonym = "syn", symptom, narrower
    }

    public struct Weights: Equatable, Sendable, Codable {
        public var synonym: Float = 1.0
        public var symptom: Float = 1.0
        public var narrower: Float = 0.4
        public init() {}
        public func callAsFunction(_ kind: Kind) -> Float {
            switch kind {
            case .synonym: return synonym
            case .symptom: return symptom
            case .narrower: return narrower
            }
        }
    }

    /// One directed link from a set of source terms to a set of target terms.
    public struct Link: Sendable, Equatable {
        public var kind: Kind
        public var source: [String]
        public var target: [String]
        /// The phrases as written in the file, for explanations.
        public var sourcePhrase: String
        public var targetPhrase: String
    }

    /// A problem in a thesaurus file.
    public struct Issue: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// All links, and for every source term the links that contain it.
    private var allLinks: [Link] = []
    private var linksBySourceTerm: [String: [Int32]] = [:]
    /// Groups of synonymous phrases as written (for entity aliases), each group's head first.
    public private(set) var synonymGroups: [[String]] = []
    public var linkCount: Int { allLinks.count }

    public init() {}

    /// Loads every `.tsv` file of `directory` (sorted by name). Malformed lines are reported and skipped.
    public static func load(directory: URL, analyzer: Analyzer) throws -> (thesaurus: Thesaurus, issues: [Issue]) {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "tsv" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var thesaurus = Thesaurus()
        var issues: [Issue] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            issues += thesaurus.add(text: text, file: file.lastPathComponent, analyzer: analyzer)
        }
        return (thesaurus, issues)
    }

    /// The thesaurus's short all-CJK phrases (2–6 characters), to be added to the segmentation
    /// lexicon: a phrase the thesaurus relates ("起皮", "漏冷") must come out of segmentation as
    /// one term, or its relation could never match. Sorted and unique.
    public static func segmentationWords(directory: URL) -> [String] {
        guard let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var words = Set<String>()
        for file in files where file.pathExtension == "tsv" {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
                let columns = line.split(separator: "\t")
                guard columns.count == 3 else { continue }
                for phrase in [columns[1]] + columns[2].split(separator: "|") {
                    let scalars = phrase.trimmingCharacters(in: .whitespaces).unicodeScalars
                    if (2...6).contains(scalars.count), scalars.allSatisfy({ $0.properties.isUnifiedIdeograph }) {
                        words.insert(String(String.UnicodeScalarView(scalars)))
                    }
                }
            }
        }
        return words.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    /// Adds the relations of one file's text.
    public mutating func add(text: String, file: String, analyzer: Analyzer) -> [Issue] {
        var issues: [Issue] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines.subtracting(.init(charactersIn: "\t")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard columns.count == 3 else {
                issues.append(Issue(file: file, line: number + 1, reason: "expected 3 tab-separated columns, found \(columns.count)"))
                continue
            }
            guard let kind = Kind(rawValue: columns[0]) else {
                issues.append(Issue(file: file, line: number + 1, reason: "unknown relation '\(columns[0])' (syn, symptom or narrower)"))
                continue
            }
            let head = columns[1]
            let targets = columns[2].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !head.isEmpty, !targets.isEmpty else {
                issues.append(Issue(file: file, line: number + 1, reason: "empty head or term list"))
                continue
            }
            if kind == .synonym { synonymGroups.append([head] + targets) }
            let headTerms = analyzer.terms(head)
            guard !headTerms.isEmpty else { continue }
            for target in targets {
                let targetTerms = analyzer.terms(target)
                guard !targetTerms.isEmpty, targetTerms != headTerms else { continue }
                insert(Link(kind: kind, source: headTerms, target: targetTerms, sourcePhrase: head, targetPhrase: target))
                insert(Link(kind: kind, source: targetTerms, target: headTerms, sourcePhrase: target, targetPhrase: head))
            }
        }
        return issues
    }

    private mutating func insert(_ link: Link) {
        let id = Int32(allLinks.count)
        allLinks.append(link)
        for term in Set(link.source) { linksBySourceTerm[term, default: []].append(id) }
    }

    /// The links whose source phrase is covered by `terms`, with the covered fraction.
    ///
    /// A phrase's terms include the sub-words of its long words (index mode), so a query that
    /// says 找货 covers half of 找货难 (terms 找货难, 找货). A link fires when at least
    /// `minimumCoverage` of its source terms occur. Sorted by link order (file order), so
    /// expansion is deterministic. - Complexity: O(Σ links per query term).
    public func links(matching terms: Set<String>, minimumCoverage: Double = 0.5) -> [(link: Link, coverage: Double)] {
        var hits: [Int32: Int] = [:]
        for term in terms {
            for id in linksBySourceTerm[term] ?? [] { hits[id, default: 0] += 1 }
        }
        return hits.keys.sorted().compactMap { id in
            let link = allLinks[Int(id)]
            let coverage = Double(hits[id]!) / Double(Set(link.source).count)
            return coverage >= minimumCoverage ? (link, coverage) : nil
        }
    }
}
