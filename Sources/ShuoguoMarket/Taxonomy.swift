import Foundation
import ShuoguoData

/// The "10+1" industry system, its 细分赛道, the parallel 现代海洋产业体系 and the crosswalk from
/// older chain names, as versioned data (`Corpus/taxonomy.json`, described in Corpus/README.md).
public struct Taxonomy: Codable, Equatable, Sendable {
    public struct Track: Codable, Equatable, Sendable {
        public var name: String
        /// "confirmed" or "uncertain".
        public var status: String
        public var aliases: [String]
        public var keywords: [String]
    }

    public struct IndustryEntry: Codable, Equatable, Sendable {
        public var code: String
        public var name: String
        public var group: String
        public var aliases: [String]
        public var keywords: [String]
        public var tracks: [Track]

        /// The FORMATS.md code as a typed value.
        public var industry: Industry? { Industry(rawValue: code) }
    }

    public struct MarineSector: Codable, Equatable, Sendable {
        public var name: String
        public var group: String
        public var keywords: [String]
    }

    public struct MarineField: Codable, Equatable, Sendable {
        public var name: String
        public var items: [String]
    }

    public struct Marine: Codable, Equatable, Sendable {
        public var name: String
        public var sectors: [MarineSector]
        public var fields: [MarineField]
        public var keywords: [String]
    }

    /// One older chain name (24 条重点产业链 and earlier lists) and where it lands in 10+1.
    public struct LegacyChain: Codable, Equatable, Sendable {
        public var chain: String
        public var industries: [String]
        public var marine: Bool
    }

    public var version: String
    public var valid_from: String
    public var industries: [IndustryEntry]
    public var marine: Marine
    public var legacy: [LegacyChain]

    /// Reads and checks a taxonomy file: every FORMATS.md industry code present exactly once.
    public static func load(from url: URL) throws -> Taxonomy {
        let taxonomy: Taxonomy
        do {
            taxonomy = try JSONDecoder().decode(Taxonomy.self, from: Data(contentsOf: url))
        } catch {
            throw TaxonomyError(file: url.lastPathComponent, reason: "cannot be read: \(error)")
        }
        let codes = taxonomy.industries.map(\.code)
        for industry in Industry.allCases where codes.filter({ $0 == industry.rawValue }).count != 1 {
            throw TaxonomyError(file: url.lastPathComponent, reason: "industry '\(industry.rawValue)' must appear exactly once")
        }
        if let unknown = codes.first(where: { Industry(rawValue: $0) == nil }) {
            throw TaxonomyError(file: url.lastPathComponent, reason: "unknown industry code '\(unknown)'")
        }
        return taxonomy
    }

    /// The entry of one industry.
    public func entry(_ industry: Industry) -> IndustryEntry {
        industries.first { $0.code == industry.rawValue }!
    }

    /// The 10+1 industries an older chain name maps to (empty when unknown).
    public func crosswalk(_ chain: String) -> (industries: [Industry], marine: Bool)? {
        let key = chain.filter { !$0.isWhitespace }
        guard let found = legacy.first(where: { $0.chain == key }) else { return nil }
        return (found.industries.compactMap(Industry.init(rawValue:)), found.marine)
    }
}

public struct TaxonomyError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
