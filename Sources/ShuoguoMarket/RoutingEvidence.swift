import Foundation
import ShuoguoData
import ShuoguoText

/// Keyword evidence for routing: the phrases of the taxonomy (industry names, aliases,
/// keywords; track names, aliases, keywords; the marine markers) and of the per-industry
/// thesauri (`Corpus/thesaurus/<code>.tsv`) that occur in a text.
///
/// Every phrase is segmented with the engine's analyzer; a phrase occurs in a text when all its
/// terms are among the text's terms (so an alias of several words matches in any order).
///
/// **Strength and prior.** A phrase's strength is the largest weight any industry lists it
/// with: an industry name or alias `nameWeight` (2, an explicit statement), a keyword or a
/// track's name, alias or keyword 1, a term of an industry thesaurus `thesaurusWeight` (1;
/// chosen on the development set — the thesauri carry the plant language of vague needs).
/// Its prior distribution over industries is proportional to the weights it is listed with.
///
/// **Learning.** `learned(from:)` replaces each prior by the labelled data's smoothed estimate
///
///     d_g(c) = (n_g(c) + α · prior_g(c)) / (Σ_c' n_g(c') + α),      α = `smoothing` (4)
///
/// where n_g(c) sums the label weights y(c) of the training texts containing phrase g, so a
/// phrase the taxonomy files under one industry but the market uses under another shifts
/// towards the use (涂层 on medical catheters). Without data d_g is the prior.
///
/// The evidence of industry c in a text is `e_c = Σ_g strength_g · d_g(c)` over the distinct
/// phrases found. Track evidence uses the taxonomy's track lists only. Marine evidence counts
/// the distinct marine markers (`marine.keywords` and the sectors' keywords).
/// - Complexity: building O(total phrase length); scoring O(|terms| · phrases per term).
public struct KeywordEvidence: Sendable {
    struct Phrase: Sendable {
        var terms: [String]
        /// `terms` as ids of `termIDs`.
        var ids: [Int32] = []
        var text: String
        /// Weight per industry as listed (0 when not listed).
        var listed: [Float]
        /// The track of each listing industry, when a track lists the phrase.
        var tracks: [Int: Int]
        var strength: Float
        var distribution: [Float]
    }

    struct Marker: Sendable {
        var terms: [String]
        var ids: [Int32] = []
        var text: String
        var sector: Int?
    }

    /// The evidence found in one text.
    public struct Scores: Sendable, Equatable {
        /// Per industry (FORMATS.md order).
        public var industries: [Float]
        /// Per industry, per track (taxonomy order).
        public var tracks: [[Float]]
        /// The number of distinct marine markers.
        public var marineMarkers: Int
        /// Per marine sector (taxonomy order), the number of its keywords found.
        public var sectors: [Int]
        /// Per industry, the phrases found (as written), strongest first.
        public var hits: [[String]]

        /// Adds `times` × the industry and track evidence of another text (markers and hits stay).
        public mutating func add(_ other: Scores, times: Float) {
            for c in industries.indices {
                industries[c] += times * other.industries[c]
                for t in tracks[c].indices { tracks[c][t] += times * other.tracks[c][t] }
            }
        }
    }

    private(set) var phrases: [Phrase]
    let markers: [Marker]
    /// Every term of a phrase or marker, numbered; a text's terms are looked up once here.
    let termIDs: [String: Int32]
    /// `signature` of every key of `termIDs`: a cheap integer test that skips most of a text's
    /// terms before the string lookup (which hashes through Unicode normalisation).
    let signatures: Set<UInt64>
    /// By term id: the phrase ids (≥ 0) and marker ids (encoded −1 − id) whose first term it is.
    let byFirstTerm: [[Int32]]
    let trackCounts: [Int]
    let sectorCount: Int
    public let smoothing: Float

    public init(taxonomy: Taxonomy, analyzer: Analyzer, thesaurusDirectory: URL?, nameWeight: Float = 2,
                thesaurusWeight: Float = 1, smoothing: Float = 4) {
        let classes = Industry.allCases.count
        var phrases: [Phrase] = []
        var phraseOf: [[String]: Int] = [:]
        func add(_ text: String, industry: Int, track: Int?, weight: Float) {
            let terms = Self.uniqueTerms(analyzer.terms(text))
            guard !terms.isEmpty else { return }
            let p: Int
            if let known = phraseOf[terms] { p = known } else {
                p = phrases.count
                phraseOf[terms] = p
                phrases.append(Phrase(terms: terms, text: text, listed: [Float](repeating: 0, count: classes), tracks: [:],
                                      strength: 0, distribution: []))
            }
            phrases[p].listed[industry] = max(phrases[p].listed[industry], weight)
            if let track, phrases[p].tracks[industry] == nil { phrases[p].tracks[industry] = track }
        }
        let industries = Industry.allCases
        for (i, industry) in industries.enumerated() {
            let entry = taxonomy.entry(industry)
            for name in [entry.name] + entry.aliases { add(name, industry: i, track: nil, weight: nameWeight) }
            for keyword in entry.keywords { add(keyword, industry: i, track: nil, weight: 1) }
            for (t, track) in entry.tracks.enumerated() {
                for phrase in [track.name] + track.aliases + track.keywords { add(phrase, industry: i, track: t, weight: 1) }
            }
        }
        if let thesaurusDirectory, thesaurusWeight > 0 {
            for (i, industry) in industries.enumerated() {
                let url = thesaurusDirectory.appendingPathComponent("\(industry.rawValue).tsv")
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
                    guard columns.count == 3 else { continue }
                    for phrase in [columns[1]] + columns[2].split(separator: "|") {
                        let phrase = phrase.trimmingCharacters(in: .whitespaces)
                        if !phrase.isEmpty { add(phrase, industry: i, track: nil, weight: thesaurusWeight) }
                    }
                }
            }
        }
        for p in phrases.indices {
            phrases[p].strength = phrases[p].listed.max()!
            phrases[p].distribution = Self.prior(phrases[p].listed)
        }
        var markers: [Marker] = []
        var markerOf: [[String]: Int] = [:]
        func marker(_ keyword: String, sector: Int?) {
            let terms = Self.uniqueTerms(analyzer.terms(keyword))
            guard !terms.isEmpty else { return }
            if let known = markerOf[terms] {
                if markers[known].sector == nil { markers[known].sector = sector }
                return
            }
            markerOf[terms] = markers.count
            markers.append(Marker(terms: terms, text: keyword, sector: sector))
        }
        for keyword in taxonomy.marine.keywords { marker(keyword, sector: nil) }
        for (s, sector) in taxonomy.marine.sectors.enumerated() {
            for keyword in [sector.name] + sector.keywords { marker(keyword, sector: s) }
        }
        var termIDs: [String: Int32] = [:]
        func number(_ terms: [String]) -> [Int32] {
            terms.map { term in
                if let id = termIDs[term] { return id }
                let id = Int32(termIDs.count)
                termIDs[term] = id
                return id
            }
        }
        for p in phrases.indices { phrases[p].ids = number(phrases[p].terms) }
        for m in markers.indices { markers[m].ids = number(markers[m].terms) }
        var index = [[Int32]](repeating: [], count: termIDs.count)
        for (p, phrase) in phrases.enumerated() { index[Int(phrase.ids[0])].append(Int32(p)) }
        for (m, marker) in markers.enumerated() { index[Int(marker.ids[0])].append(-1 - Int32(m)) }
        self.termIDs = termIDs
        self.signatures = Set(termIDs.keys.map(Self.signature))
        self.phrases = phrases
        self.markers = markers
        self.byFirstTerm = index
        self.trackCounts = industries.map { taxonomy.entry($0).tracks.count }
        self.sectorCount = taxonomy.marine.sectors.count
        self.smoothing = smoothing
    }

    static func prior(_ listed: [Float]) -> [Float] {
        let total = listed.reduce(0, +)
        return listed.map { $0 / total }
    }

    /// The phrases and markers present among `terms`, in id order.
    func found<S: Sequence>(_ terms: S) -> (phrases: [Int], markers: [Int]) where S.Element == String {
        var present = Set<Int32>()
        for term in terms where signatures.contains(Self.signature(term)) {
            if let id = termIDs[term] { present.insert(id) }
        }
        var phraseIDs: [Int] = [], markerIDs: [Int] = []
        for term in present {
            for id in byFirstTerm[Int(term)] {
                if id >= 0 {
                    if phrases[Int(id)].ids.allSatisfy(present.contains) { phraseIDs.append(Int(id)) }
                } else if markers[Int(-1 - id)].ids.allSatisfy(present.contains) {
                    markerIDs.append(Int(-1 - id))
                }
            }
        }
        return (phraseIDs.sorted(), markerIDs.sorted())
    }

    /// A copy whose phrase distributions are estimated from labelled texts (see the type's
    /// documentation). `labels[i][c]` is y(c) of text i.
    public func learned(from terms: [[String]], labels: [[Float]]) -> KeywordEvidence {
        precondition(terms.count == labels.count, "one label row per text")
        var counts = [[Float]](repeating: [Float](repeating: 0, count: Industry.allCases.count), count: phrases.count)
        for (text, label) in zip(terms, labels) {
            for p in found(text).phrases {
                for c in label.indices { counts[p][c] += label[c] }
            }
        }
        var copy = self
        for p in copy.phrases.indices {
            let prior = Self.prior(copy.phrases[p].listed)
            let total = counts[p].reduce(0, +)
            copy.phrases[p].distribution = prior.indices.map { (counts[p][$0] + smoothing * prior[$0]) / (total + smoothing) }
        }
        return copy
    }

    /// The evidence in a text given as its analyzer terms.
    public func scores<S: Sequence>(terms: S) -> Scores where S.Element == String {
        let classes = Industry.allCases.count
        var scores = Scores(industries: [Float](repeating: 0, count: classes), tracks: trackCounts.map { [Float](repeating: 0, count: $0) },
                            marineMarkers: 0, sectors: [Int](repeating: 0, count: sectorCount),
                            hits: [[String]](repeating: [], count: classes))
        let (phraseIDs, markerIDs) = found(terms)
        var weighted = [[(Float, String)]](repeating: [], count: classes)
        for p in phraseIDs {
            let phrase = phrases[p]
            for c in 0..<classes {
                let value = phrase.strength * phrase.distribution[c]
                scores.industries[c] += value
                if value >= 0.1 { weighted[c].append((value, phrase.text)) }
            }
            for (c, track) in phrase.tracks { scores.tracks[c][track] += phrase.listed[c] }
        }
        for m in markerIDs {
            scores.marineMarkers += 1
            if let sector = markers[m].sector { scores.sectors[sector] += 1 }
        }
        for c in 0..<classes {
            var seen = Set<String>()
            scores.hits[c] = weighted[c].sorted { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1.unicodeScalars.lexicographicallyPrecedes($1.1.unicodeScalars)) }
                .map(\.1).filter { seen.insert($0).inserted }
        }
        return scores
    }

    /// First and last scalar and UTF-8 length of a term, packed.
    @inline(__always)
    static func signature(_ term: String) -> UInt64 {
        let scalars = term.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return 0 }
        return UInt64(first.value) << 42 | UInt64(last.value) << 21 | UInt64(min(term.utf8.count, (1 << 21) - 1))
    }

    static func uniqueTerms(_ terms: [String]) -> [String] {
        var seen = Set<String>()
        return terms.filter { seen.insert($0).inserted }
    }
}
