import Foundation
import ShuoguoText

/// The domain thesaurus: synonyms, symptom ↔ technique links and broader/narrower terms,
/// read from `Corpus/thesaurus/*.tsv` (`kind<TAB>head<TAB>term|term|…`, `#` comments).
///
/// Every phrase is segmented with the engine's analyzer, so a relation links *term sets*.
/// Query expansion adds, for each relation whose source terms all occur in the query, the
/// target terms at `weight(kind) · w(source)`, where w(source) is the smallest TF-IDF weight of
/// the source terms in the query. Relations are used in both directions (a need names the
/// symptom, an achievement the technique). Default weights: syn 0.6, symptom 0.35, narrower 0.25.
public struct Thesaurus: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case synonym = "syn", symptom, narrower
    }

    public struct Weights: Equatable, Sendable, Codable {
        public var synonym: Float = 0.6
        public var symptom: Float = 0.35
        public var narrower: Float = 0.25
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

    /// Links keyed by their first source term (sorted), for lookup from query terms.
    private var linksByKey: [String: [Link]] = [:]
    /// Groups of synonymous phrases as written (for entity aliases), each group's head first.
    public private(set) var synonymGroups: [[String]] = []
    public private(set) var linkCount = 0

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
        let key = link.source.min { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }!
        linksByKey[key, default: []].append(link)
        linkCount += 1
    }

    /// The links whose source terms all occur in `terms`.
    public func links(matching terms: Set<String>) -> [Link] {
        var found: [Link] = []
        for term in terms.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            for link in linksByKey[term] ?? [] where link.source.allSatisfy(terms.contains) {
                found.append(link)
            }
        }
        return found
    }
}
