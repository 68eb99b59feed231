import ShuoguoData
import ShuoguoText

/// Near-duplicate listings: the same achievement or need submitted twice — by two units, through
/// two channels, or retyped with small edits — found by the character shingles of their text.
///
/// **Text.** A record's title and body (成果简介 or 需求描述) are normalised with
/// ``TextNormalizer`` (HTML residue, full-width → half-width, Latin case, whitespace), then every
/// scalar that is not a letter or a digit (punctuation, spaces, symbols) is dropped, so "。" vs
/// "." or a re-spaced copy make no difference. Application fields and keywords are left out: a
/// copy sent through another channel often lacks them.
///
/// **Similarity.** The Jaccard coefficient of the two sets of character 3-grams ("shingles"):
///
///     J(a, b) = |S(a) ∩ S(b)| / |S(a) ∪ S(b)|
///
/// Re-ordered sentences change only the shingles that straddle a sentence boundary, so they keep
/// J close to 1; each edited character changes at most three shingles.
///
/// **Threshold.** Two records are copies when J ≥ 0.5 (``threshold``). On the development set the
/// most similar pair of *distinct* listings shares J = 0.09 (needs) and 0.10 (achievements), and
/// two listings of one topic at most 0.05 and 0.07; a copy with one Han character in ten replaced
/// keeps J = 0.51–0.70 (median 0.61), one in twenty at least 0.71, and a copy with two sentences
/// swapped at least 0.87.
///
/// **Search.** Exact, not sampled: all pairs with J ≥ t are found by prefix filtering
/// (Bayardo, Ma and Srikant 2007). Shingles are ordered globally by rarity and records are
/// visited by increasing size; a pair with J ≥ t must share one of the first |S| − ⌈t·|S|⌉ + 1
/// shingles of the larger set and one of the first |S| − ⌈2t/(1 + t)·|S|⌉ + 1 of the smaller,
/// so only those are probed and indexed; candidates smaller than t·|S| are skipped, and the
/// exact Jaccard of the rest is computed by merging the two sorted sets.
///
/// **Groups.** Copies are linked transitively (union–find); a group's primary is its earliest
/// record in input order, and each copy reports its own J with the primary (which can be below
/// the threshold when the copy is linked through a third record). Group order is the primary's
/// input order, copies in input order: the output depends only on the input.
///
/// - Complexity: O(L) to shingle L characters of text, O(s log s) to order the s distinct
///   shingles, then O(P + C·l) for P posting entries probed and C candidate pairs verified in
///   O(l) each; with rare shingles first, P and C grow close to linearly with the record count.
public struct DuplicateDetector: Equatable, Sendable {
    /// The least Jaccard coefficient of two copies (default 0.5, see above).
    public var threshold: Double
    /// The shingle length in scalars (default 3).
    public var shingleLength: Int

    public init(threshold: Double = 0.5, shingleLength: Int = 3) {
        precondition(threshold > 0 && threshold <= 1, "duplicate threshold must be within (0, 1], got \(threshold)")
        precondition(shingleLength >= 1, "shingle length must be positive, got \(shingleLength)")
        self.threshold = threshold
        self.shingleLength = shingleLength
    }

    /// The text that is compared for an achievement: title and 成果简介.
    public static func comparedText(_ achievement: Achievement) -> String { achievement.title + "\n" + achievement.summary }

    /// The text that is compared for a need: title and 需求描述.
    public static func comparedText(_ need: Need) -> String { need.title + "\n" + need.description }

    /// Duplicate groups among achievements.
    public func groups(_ achievements: [Achievement]) -> [DuplicateGroup] {
        groups(ids: achievements.map(\.id), texts: achievements.map(Self.comparedText))
    }

    /// Duplicate groups among needs.
    public func groups(_ needs: [Need]) -> [DuplicateGroup] {
        groups(ids: needs.map(\.id), texts: needs.map(Self.comparedText))
    }

    /// Duplicate groups among texts named by `ids` (same length).
    public func groups(ids: [String], texts: [String]) -> [DuplicateGroup] {
        precondition(ids.count == texts.count, "\(ids.count) ids for \(texts.count) texts")
        let sets = texts.map { shingles(of: $0) }
        let pairs = similarPairs(sets)
        var parent = Array(0..<texts.count)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for pair in pairs {
            let a = root(pair.first), b = root(pair.second)
            if a != b { parent[max(a, b)] = min(a, b) }  // the root stays the earliest record
        }
        var members: [Int: [Int]] = [:]
        for i in texts.indices { members[root(i), default: []].append(i) }
        return members.keys.sorted().compactMap { primary in
            let group = members[primary]!
            guard group.count > 1 else { return nil }
            let copies = group.dropFirst().map { copy in
                DuplicateGroup.Copy(id: ids[copy], index: copy,
                                    similarity: Self.jaccard(sets[primary], sets[copy]))
            }
            return DuplicateGroup(primary: ids[primary], primaryIndex: primary, copies: copies)
        }
    }

    // MARK: - Shingles

    /// The sorted, distinct 64-bit hashes of a text's character shingles. A text shorter than
    /// one shingle is a single shingle; a text with no letter or digit has none.
    func shingles(of text: String) -> [UInt64] {
        let scalars = Self.comparableScalars(text)
        guard !scalars.isEmpty else { return [] }
        let k = min(shingleLength, scalars.count)
        var hashes: [UInt64] = []
        hashes.reserveCapacity(scalars.count - k + 1)
        for start in 0...(scalars.count - k) {
            // FNV-1a over the scalar values, then a SplitMix64 finaliser: stable across runs and
            // platforms (Swift's Hasher is seeded per process).
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for s in scalars[start..<(start + k)] {
                h = (h ^ UInt64(s)) &* 0x0000_0100_0000_01B3
            }
            hashes.append(Self.mix(h))
        }
        hashes.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(hashes.count)
        for h in hashes where unique.last != h { unique.append(h) }
        return unique
    }

    /// Normalised scalars with everything but letters and digits removed.
    static func comparableScalars(_ text: String) -> [UInt32] {
        TextNormalizer.normalize(text).unicodeScalars.compactMap { scalar in
            let p = scalar.properties
            return p.isAlphabetic || p.numericType != nil ? scalar.value : nil
        }
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Jaccard coefficient of two sorted sets.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        var i = 0, j = 0, shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { shared += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(shared) / Double(a.count + b.count - shared)
    }

    // MARK: - All pairs above the threshold

    /// Every pair (i < j) with J ≥ threshold, sorted. Records without shingles pair with nothing.
    func similarPairs(_ sets: [[UInt64]]) -> [(first: Int, second: Int)] {
        // Every (shingle, record) entry sorted by shingle: runs give document frequencies.
        var entries: [(shingle: UInt64, record: Int32)] = []
        entries.reserveCapacity(sets.reduce(0) { $0 + $1.count })
        for (record, set) in sets.enumerated() { for h in set { entries.append((h, Int32(record))) } }
        entries.sort { $0.shingle != $1.shingle ? $0.shingle < $1.shingle : $0.record < $1.record }
        var runStarts: [Int] = []
        for (i, entry) in entries.enumerated() where i == 0 || entries[i - 1].shingle != entry.shingle { runStarts.append(i) }
        runStarts.append(entries.count)
        // Rank every shingle by (document frequency, hash): rare first, ties fixed by the hash.
        let order = (0..<(runStarts.count - 1)).sorted { a, b in
            let fa = runStarts[a + 1] - runStarts[a], fb = runStarts[b + 1] - runStarts[b]
            return fa != fb ? fa < fb : a < b
        }
        var rankedSets = [[Int32]](repeating: [], count: sets.count)
        for (rank, run) in order.enumerated() {
            for entry in entries[runStarts[run]..<runStarts[run + 1]] { rankedSets[Int(entry.record)].append(Int32(rank)) }
        }
        let shingleCount = order.count

        // Records in increasing size: a later record is never smaller than an indexed one, so
        // a record indexes only the first |S| − ⌈2t/(1+t)·|S|⌉ + 1 shingles of its set, and
        // posting entries that became too small for every later record are skipped for good.
        let byRecordSize = sets.indices.filter { !sets[$0].isEmpty }
            .sorted { sets[$0].count != sets[$1].count ? sets[$0].count < sets[$1].count : $0 < $1 }
        var postings = [[Int32]](repeating: [], count: shingleCount)  // shingle rank → records that indexed it
        var postingStart = [Int](repeating: 0, count: shingleCount)
        var pairs: [(first: Int, second: Int)] = []
        var seen: [Int32] = Array(repeating: -1, count: sets.count)
        let t = threshold
        for record in byRecordSize {
            let set = sets[record]
            let ranked = rankedSets[record]  // ascending: ranks were handed out in increasing order
            let size = Double(ranked.count)
            // The least overlaps, rounded up after a small allowance so that 2t/(1+t)·|S| = 20.000…04
            // counts as 20 (a prefix one shingle too short could miss a pair).
            let probe = ranked.count - Int((t * size - 1e-9).rounded(.up)) + 1
            let index = ranked.count - Int((2 * t / (1 + t) * size - 1e-9).rounded(.up)) + 1
            var candidates: [Int] = []
            for token in ranked.prefix(max(1, probe)) {
                let list = Int(token)
                while postingStart[list] < postings[list].count,
                      Double(sets[Int(postings[list][postingStart[list]])].count) < t * size {
                    postingStart[list] += 1
                }
                for other in postings[list][postingStart[list]...] where seen[Int(other)] != Int32(record) {
                    seen[Int(other)] = Int32(record)
                    candidates.append(Int(other))
                }
            }
            for token in ranked.prefix(max(1, index)) { postings[Int(token)].append(Int32(record)) }
            for other in candidates where Self.jaccard(sets[other], set) >= t {
                pairs.append((min(other, record), max(other, record)))
            }
        }
        return pairs.sorted { $0.first != $1.first ? $0.first < $1.first : $0.second < $1.second }
    }
}

/// Records that are copies of one listing.
public struct DuplicateGroup: Equatable, Sendable {
    public struct Copy: Equatable, Sendable {
        public var id: String
        /// Position in the input.
        public var index: Int
        /// Jaccard coefficient of the copy's shingles with the primary's.
        public var similarity: Double
    }

    /// The earliest record of the group in input order.
    public var primary: String
    public var primaryIndex: Int
    /// The other records, in input order.
    public var copies: [Copy]

    /// Every record of the group, primary first.
    public var ids: [String] { [primary] + copies.map(\.id) }
}
