import ShuoguoData
import ShuoguoText

/// Assigns records of one industry to its 细分赛道 (taxonomy tracks).
///
/// A record names its track outright when an unknown field `"track"` holds a track's name or
/// alias. Otherwise each track scores the number of its distinct phrases — name, aliases and
/// keywords — found in the record's text, the title's phrases counting twice; the best
/// positive score wins, ties going to the track listed first in the taxonomy. Text and
/// phrases are compared after `TextNormalizer` (width folding, Latin lower case), so `eVTOL`
/// and `ＥＶＴＯＬ` are one phrase.
///
/// - Complexity: O(P · n) per record for P phrases of the industry and text length n.
struct SupplyTrackClassifier: Sendable {
    private struct Track: Sendable {
        var name: String
        var phrases: [String]
    }

    private let tracks: [Track]
    /// Normalised name or alias → canonical track name.
    private let names: [String: String]

    init(entry: Taxonomy.IndustryEntry) {
        var names: [String: String] = [:]
        var tracks: [Track] = []
        for track in entry.tracks {
            var phrases: [String] = []
            for phrase in [track.name] + track.aliases + track.keywords {
                let normalized = TextNormalizer.normalize(phrase)
                if !normalized.isEmpty && !phrases.contains(normalized) { phrases.append(normalized) }
            }
            for name in [track.name] + track.aliases where names[TextNormalizer.normalize(name)] == nil {
                names[TextNormalizer.normalize(name)] = track.name
            }
            tracks.append(Track(name: track.name, phrases: phrases))
        }
        self.tracks = tracks
        self.names = names
    }

    /// The canonical names, in taxonomy order.
    var trackNames: [String] { tracks.map(\.name) }

    /// The canonical name of a track given by name or alias, `nil` when the industry has none.
    func resolve(_ name: String) -> String? {
        names[TextNormalizer.normalize(name)]
    }

    /// The track of a record: its declared `"track"` field when that resolves, else the
    /// phrase vote described on the type; `nil` when no phrase occurs.
    func track(title: String, text: String, extra: [String: JSONValue]) -> String? {
        if case .string(let declared)? = extra["track"], let name = resolve(declared) { return name }
        let title = TextNormalizer.normalize(title)
        let text = TextNormalizer.normalize(text)
        var best: (name: String, votes: Int)?
        for track in tracks {
            var votes = 0
            for phrase in track.phrases where text.contains(phrase) {
                votes += title.contains(phrase) ? 2 : 1
            }
            if votes > 0 && votes > (best?.votes ?? 0) { best = (track.name, votes) }
        }
        return best?.name
    }
}
