import Foundation
import ShuoguoData

/// An achievement or a need, for services that treat both sides of the market alike.
public enum MarketRecord: Sendable, Equatable {
    case achievement(Achievement)
    case need(Need)

    public var id: String {
        switch self {
        case .achievement(let a): a.id
        case .need(let n): n.id
        }
    }

    public var title: String {
        switch self {
        case .achievement(let a): a.title
        case .need(let n): n.title
        }
    }

    /// All searchable text (``Record/text``).
    public var text: String {
        switch self {
        case .achievement(let a): a.text
        case .need(let n): n.text
        }
    }

    /// The industries the submitter gave: a label to compare with, never a feature.
    public var industry: [Industry] {
        switch self {
        case .achievement(let a): a.industry
        case .need(let n): n.industry
        }
    }

    public var marine: Bool? {
        switch self {
        case .achievement(let a): a.marine
        case .need(let n): n.marine
        }
    }

    public var region: String? {
        switch self {
        case .achievement(let a): a.region
        case .need(let n): n.region
        }
    }

    /// "achievement" or "need".
    public var kind: String {
        switch self {
        case .achievement: "achievement"
        case .need: "need"
        }
    }
}

/// A legacy industry tag read through the taxonomy's crosswalk.
public struct LegacyTag: Sendable, Equatable {
    /// The tag as written ("新能源汽车").
    public var tag: String
    /// The 10+1 codes it maps to (may be empty: no counterpart).
    public var industries: [Industry]
    /// Whether the tag also carries the 现代海洋产业体系 tag.
    public var marine: Bool
}

/// The records of one input file, with the legacy tags that were translated and the issues of
/// the lines that stayed rejected.
public struct RoutingInput: Sendable {
    public var records: [MarketRecord]
    /// `legacy[i]`: the translated tags of `records[i]` (empty for most records).
    public var legacy: [[LegacyTag]]
    /// Problems of rejected lines, `file:line: field: reason`.
    public var issues: [RecordIssue]
    /// Notes about translated tags, `file:line: industry: …`.
    public var notes: [String]

    /// Reads achievements (`needs == false`) or needs from JSON Lines.
    ///
    /// Lines are read by ``JSONLines`` (so every problem names file, line and field, and valid
    /// records are kept). A line rejected *only* because its `industry` array holds names
    /// instead of codes gets a second chance: each entry may be a FORMATS.md code, the Chinese
    /// name or an alias of a 10+1 industry, or an older chain name that `Taxonomy.crosswalk`
    /// knows ("新能源汽车" → `nev`, "轨道交通装备" → `equip`); the line is accepted with the
    /// translated codes and a note. An entry that is none of these keeps the line rejected.
    /// - Complexity: O(file size), plus one re-parse per rejected line.
    public static func read(at url: URL, needs: Bool, taxonomy: Taxonomy) throws(RoutingError) -> RoutingInput {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw .unreadable(file: url.relativePath, reason: error.localizedDescription)
        }
        return read(data: data, fileName: url.relativePath, needs: needs, taxonomy: taxonomy)
    }

    public static func read(data: Data, fileName: String, needs: Bool, taxonomy: Taxonomy) -> RoutingInput {
        var records: [(line: Int, record: MarketRecord)] = []
        var issues: [RecordIssue]
        if needs {
            let report = JSONLines.readNeeds(data: data, fileName: fileName)
            records = zip(report.lines, report.records).map { ($0, .need($1)) }
            issues = report.issues
        } else {
            let report = JSONLines.readAchievements(data: data, fileName: fileName)
            records = zip(report.lines, report.records).map { ($0, .achievement($1)) }
            issues = report.issues
        }
        var legacyByLine: [Int: [LegacyTag]] = [:]
        var notes: [String] = []
        let rejectedLines = Dictionary(grouping: issues, by: \.line)
        let repairable = rejectedLines.filter { $0.value.allSatisfy { $0.field == "industry" } }.keys.sorted()
        if !repairable.isEmpty {
            let lines = Self.lines(of: data)
            for number in repairable where number - 1 < lines.count {
                guard case .object(var object)? = try? JSONValue(parsing: lines[number - 1]),
                      case .array(let entries)? = object["industry"] else { continue }
                var codes: [Industry] = [], tags: [LegacyTag] = [], understood = true
                for entry in entries {
                    guard case .string(let name) = entry, let found = Self.translate(name, taxonomy: taxonomy) else {
                        understood = false
                        break
                    }
                    if let code = Industry(rawValue: name) { codes.append(code) } else {
                        codes.append(contentsOf: found.industries)
                        tags.append(found)
                    }
                }
                guard understood else { continue }
                var unique: [Industry] = []
                for code in codes where !unique.contains(code) { unique.append(code) }
                object["industry"] = .array(unique.map { .string($0.rawValue) })
                if object["marine"] == nil, tags.contains(where: \.marine) { object["marine"] = .bool(true) }
                let record: MarketRecord?
                if needs { record = (try? Need(jsonObject: object)).map(MarketRecord.need) } else {
                    record = (try? Achievement(jsonObject: object)).map(MarketRecord.achievement)
                }
                guard let record else { continue }
                issues.removeAll { $0.line == number }
                // The first line with an id keeps it, as in JSONLines: a later line that took the
                // id while this one was rejected becomes the duplicate.
                if let other = records.firstIndex(where: { $0.record.id == record.id }) {
                    let (first, later) = records[other].line < number ? (records[other].line, number) : (number, records[other].line)
                    issues.append(RecordIssue(file: fileName, line: later, field: "id", reason: "duplicate id '\(record.id)' (first at line \(first))"))
                    guard later == records[other].line else { continue }
                    records.remove(at: other)
                }
                records.append((number, record))
                legacyByLine[number] = tags
                for tag in tags {
                    let target = tag.industries.isEmpty ? "no 10+1 counterpart" : tag.industries.map(\.rawValue).joined(separator: ", ")
                    notes.append("\(fileName):\(number): industry: legacy tag '\(tag.tag)' read as \(target)" + (tag.marine ? " (marine)" : ""))
                }
            }
            records.sort { $0.line < $1.line }
            issues = issues.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        }
        return RoutingInput(records: records.map(\.record), legacy: records.map { legacyByLine[$0.line] ?? [] },
                            issues: issues, notes: notes)
    }

    /// An industry given by code, name, alias or older chain name.
    static func translate(_ name: String, taxonomy: Taxonomy) -> LegacyTag? {
        let key = name.filter { !$0.isWhitespace }
        if let code = Industry(rawValue: key) { return LegacyTag(tag: name, industries: [code], marine: false) }
        for entry in taxonomy.industries where entry.name == key || entry.aliases.contains(key) {
            if let code = entry.industry { return LegacyTag(tag: name, industries: [code], marine: false) }
        }
        if let found = taxonomy.crosswalk(key) { return LegacyTag(tag: name, industries: found.industries, marine: found.marine) }
        return nil
    }

    /// The physical lines of a file, numbered as ``JSONLines`` numbers them (split on LF).
    static func lines(of data: Data) -> [Data] {
        var out: [Data] = []
        var start = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { start = data.index(start, offsetBy: 3) }
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            var line = data[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            out.append(Data(line))
            start = end == data.endIndex ? end : data.index(after: end)
        }
        return out
    }
}

extension RoutingInput {
    /// The needs that belong to a group of common needs (行业共性需求) in a `groups.jsonl` file
    /// (FORMATS.md: `{"id", "label", "needs": [ids]}` per line). A group of one need is a
    /// singleton and does not count. Bad lines are reported (`file:line: field: reason`) and skipped.
    public static func commonNeeds(at url: URL) throws(RoutingError) -> (needs: Set<String>, issues: [String]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(file: url.relativePath, reason: error.localizedDescription)
        }
        let file = url.relativePath
        var members = Set<String>(), issues: [String] = []
        for (number, line) in lines(of: data).enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            guard case .object(let object)? = try? JSONValue(parsing: line) else {
                issues.append("\(file):\(number + 1): expected one JSON object per line")
                continue
            }
            guard case .array(let needs)? = object["needs"] else {
                issues.append("\(file):\(number + 1): needs: expected an array of need ids")
                continue
            }
            let ids = needs.compactMap { value -> String? in if case .string(let id) = value { return id } else { return nil } }
            if ids.count != needs.count { issues.append("\(file):\(number + 1): needs: every member must be a need id (string)") }
            if ids.count >= 2 { members.formUnion(ids) }
        }
        return (members, issues)
    }
}
