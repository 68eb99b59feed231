import Foundation
import ShuoguoData
import ShuoguoRanking
import ShuoguoVectors

extension MatchModel {
    /// Saves the model atomically (temporary file, then rename). The same model always
    /// produces the same bytes.
    public func save(to url: URL) throws {
        var file = ModelFile()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        file.add("configuration", try encoder.encode(configuration))
        file.add("achievements", string: achievements.map { JSONLines.encode($0) + "\n" }.joined())
        file.add("needs", string: needs.map { JSONLines.encode($0) + "\n" }.joined())
        file.add("vocabulary", string: tfidf.vocabulary.joined(separator: "\n"))
        file.add("idf", floats: tfidf.idf)
        file.add("documentCount", integers: [UInt64(tfidf.documentCount), UInt64(backgroundDocuments)])
        file.add("singularValues", floats: lsa.singularValues)
        file.add("termProjection", floats: lsa.termProjection.storage)
        for (name, side) in [("achievements", achievementSide), ("needs", needSide)] {
            file.add("\(name).rowStarts", integers: side.tfidf.rowStarts.map { Int64($0) })
            file.add("\(name).columns", integers: side.tfidf.columnIndices)
            file.add("\(name).values", floats: side.tfidf.values)
            file.add("\(name).latent", floats: side.latent.storage)
        }
        file.add("concepts", try encoder.encode(concepts))
        file.add("aliases", try encoder.encode(names.aliasGroups))
        try file.write(to: url)
    }

    /// Loads and verifies a saved model. A corrupted, truncated or incompatible file is refused
    /// with a message that says which.
    public static func load(from url: URL) throws -> MatchModel {
        let name = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EngineError.invalidModel("\(url.path): cannot be read (\(error.localizedDescription))")
        }
        let file = try ModelFile.decode(data, file: name)
        do {
            let decoder = JSONDecoder()
            let configuration = try decoder.decode(EngineConfiguration.self, from: try file.section("configuration", file: name))
            let achievements = try records(JSONLines.readAchievements(data: try file.section("achievements", file: name), fileName: "\(name)#achievements"))
            let needs = try records(JSONLines.readNeeds(data: try file.section("needs", file: name), fileName: "\(name)#needs"))
            let vocabularyText = try file.string("vocabulary", file: name)
            let vocabulary = vocabularyText.isEmpty ? [] : vocabularyText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let counts = try file.integers("documentCount", file: name, as: UInt64.self)
            guard counts.count == 2 else { throw EngineError.invalidModel("\(name): malformed document counts") }
            let tfidf = try TfidfModel(vocabulary: vocabulary, idf: try file.floats("idf", file: name), documentCount: Int(counts[0]))
            let sigma = try file.floats("singularValues", file: name)
            let projection = try DenseMatrix(rows: vocabulary.count, columns: sigma.count, storage: try file.floats("termProjection", file: name))
            let lsa = try LatentSemanticModel(singularValues: sigma, termProjection: projection)
            func side(_ prefix: String, rows: Int) throws -> (SparseMatrix, DenseMatrix) {
                let matrix = try SparseMatrix(rowStarts: try file.integers("\(prefix).rowStarts", file: name, as: Int64.self).map { Int($0) },
                                              columnIndices: try file.integers("\(prefix).columns", file: name, as: Int32.self),
                                              values: try file.floats("\(prefix).values", file: name), columns: vocabulary.count)
                guard matrix.rows == rows else { throw EngineError.invalidModel("\(name): \(prefix) has \(matrix.rows) vectors for \(rows) records") }
                let latent = try DenseMatrix(rows: rows, columns: sigma.count, storage: try file.floats("\(prefix).latent", file: name))
                return (matrix, latent)
            }
            let (achievementRows, achievementLatent) = try side("achievements", rows: achievements.count)
            let (needRows, needLatent) = try side("needs", rows: needs.count)
            let concepts = try decoder.decode([Concept].self, from: try file.section("concepts", file: name))
            let aliases = try decoder.decode([[String]].self, from: try file.section("aliases", file: name))
            return MatchModel(configuration: configuration, achievements: achievements, needs: needs, tfidf: tfidf, lsa: lsa,
                              achievementRows: achievementRows, achievementLatent: achievementLatent,
                              needRows: needRows, needLatent: needLatent, concepts: concepts,
                              backgroundDocuments: Int(counts[1]), aliases: aliases)
        } catch let error as EngineError {
            throw error
        } catch let error as LinearAlgebraError {
            throw EngineError.invalidModel("\(name): inconsistent arrays (\(error))")
        } catch {
            throw EngineError.invalidModel("\(name): \(error)")
        }
    }

    private static func records<R>(_ report: LoadReport<R>) throws -> [R] {
        if let first = report.issues.first { throw EngineError.invalidModel("stored records are invalid: \(first)") }
        return report.records
    }
}
