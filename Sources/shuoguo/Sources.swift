import ArgumentParser
import Foundation
import ShuoguoData
import ShuoguoEngine
import ShuoguoVectors

/// Where the model comes from: a saved file, or JSONL files fitted on the spot.
struct ModelSource: ParsableArguments {
    @Option(name: .long, help: "A model saved by `shuoguo index`.")
    var model: String?

    @Option(name: .long, help: "Achievements JSON Lines (科技成果).")
    var achievements: String?

    @Option(name: .long, help: "Needs JSON Lines (企业技术需求).")
    var needs: String?

    @Option(name: .long, help: "The Corpus/ directory (lexicon, stopwords, thesaurus). Default: found next to the binary.")
    var corpus: String?

    @Option(name: .long, help: "Worker threads (BLAS runs single-threaded inside each).")
    var threads: Int = 2

    @Flag(name: .long, help: "Do not fit small markets together with the bundled background corpus.")
    var noBackground = false

    @Option(name: .long, help: "LSA rank k (capped at documents / 2).")
    var rank: Int?

    @Option(name: .long, help: "Seed of the randomized SVD.")
    var seed: UInt64?

    @Option(name: .long, help: "λ, the weight of the lexical cosine in the text score (0–1).")
    var lexicalWeight: Float?

    @Flag(name: .long, help: "Do not expand queries with the thesaurus.")
    var noExpansion = false

    @Option(name: .long, help: "Thesaurus expansion weights syn,symptom,narrower (default 1,1,0.4).")
    var expansionWeights: String?

    @Flag(name: .long, help: "Also index character bigrams inside long words.")
    var bigrams = false

    func validate() throws {
        if let lexicalWeight, !(0...1).contains(lexicalWeight) { throw ValidationError("--lexical-weight must be within 0...1") }
        if let expansionWeights, expansionWeights.split(separator: ",").compactMap({ Float($0) }).filter({ $0 >= 0 }).count != 3 {
            throw ValidationError("--expansion-weights takes three non-negative numbers: syn,symptom,narrower")
        }
        if model != nil && (achievements != nil || needs != nil) {
            throw ValidationError("give either --model or --achievements/--needs, not both")
        }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be within 1...64") }
    }

    var isGiven: Bool { model != nil || achievements != nil || needs != nil }

    /// Commands that rank call this from their `validate()`.
    func requireSource() throws {
        if !isGiven { throw ValidationError("give --model, or --achievements and --needs") }
    }

    func resources() throws -> Resources {
        let resources = try Resources.load(corpusDirectory: corpus.map { URL(fileURLWithPath: $0) })
        resources.warnings.forEach { log("warning: \($0)") }
        return resources
    }

    var configuration: EngineConfiguration {
        var c = EngineConfiguration()
        if let rank { c.lsa.rank = max(1, rank) }
        if let seed { c.lsa.seed = seed }
        if noBackground { c.useBackground = false }
        if bigrams { c.characterBigrams = true }
        applyQueryOptions(&c)
        return c
    }

    func applyQueryOptions(_ c: inout EngineConfiguration) {
        if let lexicalWeight { c.lexicalWeight = lexicalWeight }
        if noExpansion { c.expandQueries = false }
        if let expansionWeights {
            let parts = expansionWeights.split(separator: ",").compactMap { Float($0) }
            if parts.count == 3 { (c.expansion.synonym, c.expansion.symptom, c.expansion.narrower) = (parts[0], parts[1], parts[2]) }
        }
    }

    /// Loads the model, or builds it from the JSONL files.
    func loadModel(resources: Resources) throws -> MatchModel {
        BLASThreads.set(1)
        if let model {
            var loaded = try MatchModel.load(from: URL(fileURLWithPath: model))
            applyQueryOptions(&loaded.configuration)
            return loaded
        }
        let a = try achievements.map { try nonEmpty(Inputs.achievements(at: URL(fileURLWithPath: $0), log: log), $0, "achievements") } ?? []
        let n = try needs.map { try nonEmpty(Inputs.needs(at: URL(fileURLWithPath: $0), log: log), $0, "needs") } ?? []
        let configuration = self.configuration
        let background = Inputs.background(for: a, n, corpus: resources.corpusDirectory, configuration: configuration)
        if !background.isEmpty { log("small market: fitting with \(background.count) background documents from the bundled corpus") }
        let start = Date()
        let built = try MatchModel.build(achievements: a, needs: n, background: background, resources: resources,
                                         configuration: configuration, threads: threads, progress: log)
        log(String(format: "model: %d achievements, %d needs, %d terms, k = %d (%.2f s)",
                   built.achievements.count, built.needs.count, built.tfidf.vocabulary.count, built.lsa.rank, Date().timeIntervalSince(start)))
        return built
    }
}

/// The records of an input file the user named, or an error when it holds none: an empty
/// file (or one whose every line was rejected) is a mistake, not an empty market.
func nonEmpty<R>(_ records: [R], _ path: String, _ kind: String) throws -> [R] {
    if records.isEmpty { throw EngineError.invalidInput("\(path): no valid \(kind) (the file is empty or every line was rejected)") }
    return records
}

struct Index: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build a model from achievements and needs and save it.")

    @OptionGroup var source: ModelSource

    @Option(name: .long, help: "Where to write the model (.sgm).")
    var out: String

    func validate() throws {
        try source.requireSource()
        if source.model != nil { throw ValidationError("index builds a model: give --achievements and/or --needs, not --model") }
        // Checked before the fit, which can take minutes, rather than when the model is written.
        let directory = URL(fileURLWithPath: out).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--out: the directory \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ValidationError("--out: the directory \(directory) is not writable")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let resources = try source.resources()
            let model = try source.loadModel(resources: resources)
            try model.save(to: URL(fileURLWithPath: out))
            log("wrote \(out)")
        }
    }
}
