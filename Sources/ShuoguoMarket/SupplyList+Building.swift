import ShuoguoData
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoVectors

extension SupplyList {
    /// Builds the list for `request` from a fitted model.
    ///
    /// 1. Industry centroids and every record's cosine to each (``IndustryAffinity``).
    /// 2. Members: achievements whose `industry` lists the industry; achievements with an empty
    ///    `industry` by inference (``SupplyScoring``). Each member gets a track
    ///    (``SupplyTrackClassifier``); with `request.track` only that track's members stay.
    /// 3. Scores as ``SupplyScoring`` (fit relative to the largest cosine among all the
    ///    industry's members). Order: `score` descending, then `fit` descending, then id;
    ///    `top` keeps the head.
    /// 4. Needs of the industry (labelled or inferred the same way) are ranked against all
    ///    achievements by `MatchModel.rank` (need → achievement, the engine's hybrid score and
    ///    same-organisation rule). A need without a recognisable track takes the track of its
    ///    best match in the industry; with `request.track`, only needs of that track stay. Each
    ///    need keeps its best `matchesPerNeed` achievements of the list before `top` cut it
    ///    (so a short list does not force weak pairs), each scoring at least
    ///    `minimumMatchScore`; every shown achievement records the needs that picked it. Needs
    ///    are ordered by their best match's score, descending, then id.
    ///
    /// The result depends only on the model, the taxonomy and the request: the same input
    /// gives the same list.
    ///
    /// - Complexity: centroids O((A + N) · k · 11) by `sgemm`; needs ranked as
    ///   `MatchModel.rank` with `top` = the industry's achievement count (all achievements when
    ///   some members are inferred, since the engine's industry filter sees labels only).
    public static func build(model: MatchModel, taxonomy: Taxonomy, thesaurus: Thesaurus?,
                             request: SupplyListRequest, threads: Int = 1) throws(SupplyListError) -> SupplyList {
        let industry = request.industry
        let classifier = SupplyTrackClassifier(entry: taxonomy.entry(industry))
        var track: String?
        if let name = request.track {
            guard let resolved = classifier.resolve(name) else {
                throw .unknownTrack(industry: industry, track: name, known: classifier.trackNames)
            }
            track = resolved
        }
        let scoring = request.scoring
        let affinity = IndustryAffinity(model: model)
        let column = IndustryAffinity.column(of: industry)

        // Members of the industry, with their tracks (before the track restriction).
        var memberships: [Int: Membership] = [:]
        var tracks: [Int: String] = [:]
        for (i, achievement) in model.achievements.enumerated() {
            guard let membership = affinity.membership(of: achievement.industry, fits: affinity.achievementFits.row(i),
                                                       in: industry, scoring: scoring) else { continue }
            memberships[i] = membership
            tracks[i] = classifier.track(title: achievement.title, text: achievement.text, extra: achievement.extra)
        }

        let largest = memberships.keys.map { Double(affinity.achievementFits[$0, column]) }.max() ?? 0
        var entries: [Entry] = []
        for i in memberships.keys.sorted() where track == nil || tracks[i] == track {
            let achievement = model.achievements[i]
            let cosine = Double(affinity.achievementFits[i, column])
            let fit = scoring.fit(cosine: cosine, largest: largest)
            let grade = scoring.grade(of: achievement)
            entries.append(Entry(rank: 0, achievement: achievement, track: tracks[i], membership: memberships[i]!,
                                 cosine: cosine, fit: fit, grade: grade, score: scoring.score(fit: fit, grade: grade),
                                 isNew: isNew(achievement.date, since: request.since), matchedNeeds: []))
        }
        entries.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.fit != b.fit { return a.fit > b.fit }
            return a.achievement.id < b.achievement.id
        }
        for i in entries.indices { entries[i].rank = i + 1 }
        let candidateCount = entries.count
        let achievementIndex = model.achievementIndex
        // Position of every qualifying achievement (before `top`), by model index.
        let position = Dictionary(uniqueKeysWithValues: entries.map { (achievementIndex[$0.achievement.id]!, $0.rank) })
        if let top = request.top, entries.count > top { entries.removeSubrange(top...) }

        // The industry's needs and their best matches among the listed achievements.
        var needIndices: [Int] = [], needMemberships: [Membership] = []
        for (i, need) in model.needs.enumerated() {
            guard let membership = affinity.membership(of: need.industry, fits: affinity.needFits.row(i), in: industry, scoring: scoring) else { continue }
            needIndices.append(i)
            needMemberships.append(membership)
        }
        let anyInferred = memberships.values.contains(.inferred)
        var filters = MatchFilters()
        if !anyInferred { filters.industries = 1 << UInt16(column) }
        let depth = anyInferred ? model.achievements.count : memberships.count
        let rankings = needIndices.isEmpty || depth == 0 ? [] :
            model.rank(.needToAchievement, queries: needIndices, top: depth, filters: filters, thesaurus: thesaurus, threads: threads)

        var needs: [NeedEntry] = []
        var links: [Int: [NeedLink]] = [:]
        for (q, needIndex) in needIndices.enumerated() {
            let need = model.needs[needIndex]
            let ranking = rankings.isEmpty ? [] : rankings[q].filter { memberships[$0.index] != nil }
            let needTrack = classifier.track(title: need.title, text: need.text, extra: need.extra) ?? ranking.first.flatMap { tracks[$0.index] }
            if let track, needTrack != track { continue }
            var matches: [Match] = []
            for item in ranking where Double(item.score) >= request.minimumMatchScore {
                guard let listRank = position[item.index] else { continue }
                let achievement = model.achievements[item.index]
                let explanation = model.explain(need: needIndex, achievement: item.index, thesaurus: thesaurus, termCount: 6, conceptCount: 0)
                let terms = explanation.sharedTerms.map(\.term).filter { !$0.hasPrefix("~") }
                matches.append(Match(id: achievement.id, title: achievement.title, institution: achievement.institution,
                                     listRank: listRank, score: Double(item.score), sharedTerms: Array(terms.prefix(3))))
                links[item.index, default: []].append(NeedLink(id: need.id, title: need.title, score: Double(item.score)))
                if matches.count == request.matchesPerNeed { break }
            }
            needs.append(NeedEntry(rank: 0, need: need, track: needTrack, membership: needMemberships[q],
                                   isNew: isNew(need.date, since: request.since), matches: matches))
        }
        needs.sort { a, b in
            let x = a.matches.first?.score ?? -.infinity, y = b.matches.first?.score ?? -.infinity
            return x != y ? x > y : a.need.id < b.need.id
        }
        for i in needs.indices { needs[i].rank = i + 1 }
        for i in entries.indices {
            let index = achievementIndex[entries[i].achievement.id]!
            entries[i].matchedNeeds = (links[index] ?? []).sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        }
        return SupplyList(industry: industry, track: track, since: request.since, generated: request.generated,
                          scoring: scoring, minimumMatchScore: request.minimumMatchScore, taxonomyVersion: taxonomy.version, entries: entries,
                          candidateCount: candidateCount, needs: needs)
    }

    /// `YYYY-MM-DD` strings order as their dates, so "on or after" is a string comparison.
    static func isNew(_ date: String?, since: String?) -> Bool {
        guard let date, let since else { return false }
        return date >= since
    }
}

/// The "10+1" industry centroids in a model's LSA space and every record's cosine to each.
///
/// `C = normalizeRows(M · L)`, where `L` stacks the unit latent vectors of all achievements
/// and needs and `M[c, r] = 1` when record r lists industry c; then the cosines are
/// `L_A · Cᵀ` and `L_N · Cᵀ`. All three products are `sgemm`. An industry that no record
/// lists has a zero centroid and cosine 0 to everything.
struct IndustryAffinity {
    /// Achievements × industries (``Industry/allCases`` order).
    let achievementFits: DenseMatrix
    /// Needs × industries.
    let needFits: DenseMatrix

    static func column(of industry: Industry) -> Int {
        Industry.allCases.firstIndex(of: industry)!
    }

    init(model: MatchModel) {
        let a = model.achievementSide.latent, n = model.needSide.latent
        let industries = Industry.allCases.count
        var membership = DenseMatrix(rows: industries, columns: a.rows + n.rows)
        for (r, record) in model.achievements.enumerated() {
            for industry in record.industry { membership[Self.column(of: industry), r] = 1 }
        }
        for (r, record) in model.needs.enumerated() {
            for industry in record.industry { membership[Self.column(of: industry), a.rows + r] = 1 }
        }
        let stacked = try! DenseMatrix(rows: a.rows + n.rows, columns: a.columns, storage: a.storage + n.storage)
        var centroids = DenseMatrix.product(membership, stacked)
        centroids.normalizeRows()
        achievementFits = DenseMatrix.product(a, transposed: false, centroids, transposed: true)
        needFits = DenseMatrix.product(n, transposed: false, centroids, transposed: true)
    }

    /// Whether a record with these labels and centroid cosines belongs to `industry`, and how.
    func membership(of labels: [Industry], fits: [Float], in industry: Industry,
                    scoring: SupplyScoring) -> SupplyList.Membership? {
        if !labels.isEmpty { return labels.contains(industry) ? .labelled : nil }
        var best = 0, runnerUp: Float = -.infinity
        for c in 1..<fits.count where fits[c] > fits[best] { best = c }
        for c in fits.indices where c != best { runnerUp = max(runnerUp, fits[c]) }
        guard best == Self.column(of: industry), Double(fits[best]) >= scoring.inferenceMinimumFit,
              Double(fits[best] - runnerUp) >= scoring.inferenceMargin else { return nil }
        return .inferred
    }
}
