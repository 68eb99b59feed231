import ArgumentParser
import Foundation
import ShuoguoEngine
import ShuoguoRanking
import ShuoguoText
import ShuoguoVectors

/// Measures the engine on the synthetic benchmark corpus, with the options and JSON keys of
/// the contract in `Benchmarks/README.md`, so that `peers/run.sh` can set it beside the peers.
@main
struct ShuoguoBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shuoguo-bench",
        abstract: "Speed of the shuoguo engine: tokenization, index build, one-query and batched ranking, sgemm.",
        discussion: "Writes one JSON object with sorted keys (Benchmarks/README.md lists the keys). Progress goes to standard error.")

    @Option(help: "Achievements, JSON Lines (title, summary, industry).") var corpus: String
    @Option(help: "Reference tokens of --corpus, one line per record, space separated.") var tokens: String
    @Option(help: "Needs used as queries, JSON Lines (title, description, industry).") var queries: String
    @Option(name: .customLong("queries-tokens"), help: "Reference tokens of --queries.") var queriesTokens: String
    @Option(help: "Threads for BLAS and for the engine's workers.") var threads = 1
    @Option(help: "Index sizes (documents), comma separated.") var sizes = "10000,100000"
    @Option(help: "LSA dimensions, comma separated.") var ks = "128,256"
    @Option(name: .customLong("tokenize-mb"), help: "MiB of title + summary text to tokenize.") var tokenizeMB = 20.0
    @Option(name: .customLong("json-out"), help: "Where to write the JSON (also printed).") var jsonOut: String?
    @Option(name: .customLong("corpus-dir"), help: "The engine's Corpus/ resources (default: located as the CLI does).") var corpusDirectory: String?
    @Option(name: .customLong("latency-queries"), help: "Timed one-at-a-time queries.") var latencyQueries = 1000
    @Option(help: "Untimed warm-up queries before the timed ones.") var warmup = 100
    @Option(name: .customLong("batch-queries"), help: "Queries ranked at once.") var batchQueries = 10000
    @Option(help: "Results per query.") var top = 10
    @Option(name: .customLong("power-iterations"), help: "Randomized SVD power iterations (the engine's default is 2).")
    var powerIterations = EngineConfiguration().lsa.powerIterations
    @Option(name: .customLong("sgemm-reps"), help: "Timed sgemm repetitions (after one warm-up).") var sgemmReps = 5

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        guard tokenizeMB > 0 else { throw ValidationError("--tokenize-mb must be positive") }
        guard latencyQueries > 0, warmup >= 0, batchQueries > 0, top > 0, sgemmReps > 0, powerIterations >= 0 else {
            throw ValidationError("query counts, --top and --sgemm-reps must be positive")
        }
    }

    func run() throws {
        do {
            try measure()
        } catch let error as BenchError {
            FileHandle.standardError.write(Data("shuoguo-bench: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    private func measure() throws {
        let sizes = try Inputs.positiveIntegers(self.sizes, option: "--sizes").sorted()
        let ks = try Inputs.positiveIntegers(self.ks, option: "--ks").sorted()
        let largest = sizes.last!, rank = ks.last!
        let loadStart = Measure.loadAverage()

        // BLAS runs with `threads` threads wherever a single BLAS call does the work (index
        // build, one query, sgemm); the batch instead splits its query blocks over `threads`
        // workers that each call a one-thread BLAS (see `rankBatch`).
        BLASThreads.set(threads)
        log("shuoguo-bench: threads \(threads), BLAS reports \(BLASThreads.current.map(String.init) ?? "no thread control")")

        // Inputs: untimed, as the peers get their text and tokens in memory.
        let achievements = try Inputs.records(corpus)
        let queryRecords = try Inputs.records(queries, limit: max(batchQueries, latencyQueries + warmup))
        let documentLines = try Inputs.lines(tokens, limit: largest)
        let queryLines = try Inputs.lines(queriesTokens, limit: max(batchQueries, latencyQueries + warmup))
        guard documentLines.count >= largest else {
            throw BenchError("\(tokens): \(documentLines.count) lines, but --sizes asks for \(largest) documents")
        }
        guard achievements.count >= largest else {
            throw BenchError("\(corpus): \(achievements.count) records, but --sizes asks for \(largest) documents")
        }
        guard queryLines.count >= batchQueries, queryRecords.count >= queryLines.count else {
            throw BenchError("\(queriesTokens): \(queryLines.count) lines and \(queries): \(queryRecords.count) records; \(batchQueries) queries are needed")
        }
        guard queryLines.count >= latencyQueries + warmup else {
            throw BenchError("\(queriesTokens): \(queryLines.count) lines, fewer than --latency-queries + --warmup")
        }

        let tokenization = try tokenize(achievements)
        let (rows, built) = try buildIndexes(documentLines, sizes: sizes, ks: ks)
        guard let built, built.n == largest, built.k == rank else {
            throw BenchError("no index was built for n = \(largest), k = \(rank)")
        }

        // Candidates: the largest index's rows and document vectors, with the records' industries.
        var industries = IndustryCodes()
        let candidateTraits = achievements[0..<largest].map { industries.traits($0.industry ?? []) }
        let candidates = CandidateSet(tfidf: built.matrix, latent: built.vectors, traits: candidateTraits, areNeeds: false)
        let hybrid = HybridRanker(candidates: candidates)
        let latentOnly = HybridRanker(candidates: candidates, lexicalWeight: 0, adjustments: .none)

        let (folded, foldSeconds) = foldIn(queryLines, queryRecords, built: built, industries: &industries)
        let latency = oneAtATime(folded, hybrid: hybrid, latentOnly: latentOnly)
        let batch = rankBatch(Array(folded.prefix(batchQueries)), hybrid: hybrid, latentOnly: latentOnly,
                              check: latency.hybridResults)
        let sgemm = measureSgemm()

        let nq = Double(batchQueries), nd = Double(largest), d = Double(built.vectors.columns)
        let flop = 2 * nq * nd * d
        let report = Report(
            threads: threads,
            blas_threads_index: threads, blas_threads_query: threads, blas_threads_batch: batch.blasThreads,
            batch_workers: batch.workers, blas_library_threads: BLASThreads.current,
            tokenize_mbps: Measure.rounded(Double(tokenization.bytes) / tokenization.seconds / 1e6, 3),
            tokenize_workers: threads,
            tokenize_single_thread_mbps: Measure.rounded(Double(tokenization.bytes) / tokenization.singleSeconds / 1e6, 3),
            tokenize_cpu_mbps: Measure.rounded(Double(tokenization.bytes) / tokenization.singleCPUSeconds / 1e6, 3),
            tokenize_seconds: Measure.rounded(tokenization.seconds), tokenize_bytes: tokenization.bytes,
            tokenize_docs: tokenization.docs, tokenize_terms: tokenization.terms,
            tokenize_load_seconds: Measure.rounded(tokenization.loadSeconds, 3),
            index: rows,
            query_p50_ms: Measure.rounded(Measure.percentile(latency.hybrid, 50)),
            query_p99_ms: Measure.rounded(Measure.percentile(latency.hybrid, 99)),
            query_mean_ms: Measure.rounded(latency.hybrid.reduce(0, +) / Double(latency.hybrid.count)),
            query_latent_p50_ms: Measure.rounded(Measure.percentile(latency.latent, 50)),
            query_latent_p99_ms: Measure.rounded(Measure.percentile(latency.latent, 99)),
            query_latent_mean_ms: Measure.rounded(latency.latent.reduce(0, +) / Double(latency.latent.count)),
            query_foldin_p50_ms: Measure.rounded(Measure.percentile(foldSeconds.map { $0 * 1000 }, 50)),
            query_count: latency.hybrid.count, query_top: top,
            batch_seconds: Measure.rounded(batch.hybridSeconds, 3),
            batch_gflops: Measure.rounded(flop / batch.hybridSeconds / 1e9, 2),
            batch_latent_seconds: Measure.rounded(batch.latentSeconds, 3),
            batch_latent_gflops: Measure.rounded(flop / batch.latentSeconds / 1e9, 2),
            batch_nq: batchQueries, batch_nd: largest, batch_d: built.vectors.columns,
            batch_matches_single: batch.matchesSingle,
            sgemm_gflops: Measure.rounded(sgemm.flop / sgemm.median / 1e9, 2),
            sgemm_best_gflops: Measure.rounded(sgemm.flop / sgemm.best / 1e9, 2),
            sgemm_median_seconds: Measure.rounded(sgemm.median, 5),
            peak_rss_mb: Measure.rounded(Measure.peakResidentMegabytes(), 1),
            loadavg_start: Measure.rounded(loadStart, 2), loadavg_end: Measure.rounded(Measure.loadAverage(), 2))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(report)
        print(String(decoding: json, as: UTF8.self))
        if let jsonOut {
            do {
                try (json + Data("\n".utf8)).write(to: URL(fileURLWithPath: jsonOut))
            } catch {
                throw BenchError("\(jsonOut): cannot write (\(error.localizedDescription))")
            }
        }
    }

    // MARK: - Tokenization

    private struct Tokenization {
        var bytes: Int, docs: Int, terms: Int
        /// With `threads` workers, and with one.
        var seconds: Double, singleSeconds: Double
        /// CPU time of one single-worker pass (median), as `speed.py` records jieba's.
        var singleCPUSeconds: Double
        var loadSeconds: Double
    }

    /// `Analyzer.terms` (the engine's indexing path, with the bundled `Corpus/` resources) over
    /// title and summary of the leading records; resource loading is timed apart. Measured with
    /// one worker, as jieba runs, and, when `threads` > 1, with the text split into contiguous
    /// blocks over `threads` workers, as `MatchModel.build` tokenizes; each the median of three passes.
    private func tokenize(_ records: [RecordText]) throws -> Tokenization {
        let (resources, loadSeconds) = try Measure.seconds {
            try Resources.load(corpusDirectory: corpusDirectory.map { URL(fileURLWithPath: $0) })
        }
        let analyzer = resources.analyzer
        let (texts, bytes) = Inputs.leadingTexts(records, limitBytes: Int(tokenizeMB * 1_048_576))
        // Three passes, the median kept: a pass lasts about a second, short enough for one
        // burst of other work on the machine to halve it (jieba's pass lasts half a minute).
        var passes: [Double] = [], cpuPasses: [Double] = []
        var terms = 0
        for _ in 0..<3 {
            let cpu = Measure.cpuSeconds()
            let (count, elapsed) = Measure.seconds {
                var count = 0
                for (title, body) in texts {
                    count += analyzer.terms(title).count
                    count += analyzer.terms(body).count
                }
                return count
            }
            terms = count
            passes.append(elapsed)
            cpuPasses.append(Measure.cpuSeconds() - cpu)
        }
        let singleSeconds = Measure.median(passes), singleCPUSeconds = Measure.median(cpuPasses)
        log(String(format: "tokenize: %.1f MB in %.2f s, %.1f MB/s (%d docs, %d terms; resources %.2f s)",
                   Double(bytes) / 1e6, singleSeconds, Double(bytes) / singleSeconds / 1e6, texts.count, terms, loadSeconds))
        var seconds = singleSeconds
        if threads > 1 {
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
            defer { counts.deallocate() }
            counts.initialize(repeating: 0)
            let shared = texts, slots = SharedPointer(counts.baseAddress!), workers = threads
            var parallelPasses: [Double] = []
            for _ in 0..<3 {
                let ((), elapsed) = Measure.seconds {
                    forEachBlock(count: workers, workers: workers) { range in
                        for worker in range {
                            let lower = shared.count * worker / workers, upper = shared.count * (worker + 1) / workers
                            var count = 0
                            for i in lower..<upper { count += analyzer.terms(shared[i].0).count + analyzer.terms(shared[i].1).count }
                            slots.base[worker] = count
                        }
                    }
                }
                guard counts.reduce(0, +) == terms else { throw BenchError("parallel tokenization gave \(counts.reduce(0, +)) terms, one worker \(terms)") }
                parallelPasses.append(elapsed)
            }
            seconds = Measure.median(parallelPasses)
            log(String(format: "tokenize, %d workers: %.1f MB/s", threads, Double(bytes) / seconds / 1e6))
        }
        return Tokenization(bytes: bytes, docs: texts.count, terms: terms, seconds: seconds, singleSeconds: singleSeconds,
                            singleCPUSeconds: singleCPUSeconds, loadSeconds: loadSeconds)
    }

    // MARK: - Index

    private struct BuiltIndex {
        var n: Int, k: Int
        var tfidf: TfidfModel
        var matrix: SparseMatrix
        var lsa: LatentSemanticModel
        var vectors: DenseMatrix
    }

    /// Per n: TF-IDF (splitting the reference token lines, `TfidfModel.fit`, `matrix`), as
    /// scikit-learn's `TfidfVectorizer.fit_transform` with `str.split`; then per k:
    /// `LatentSemanticModel.fit` + `project` of every document, as `TruncatedSVD.fit_transform`.
    /// Returns the rows and the index of the largest n and k.
    private func buildIndexes(_ lines: [Substring], sizes: [Int], ks: [Int]) throws -> ([Report.IndexRow], BuiltIndex?) {
        let defaults = EngineConfiguration()
        var rows: [Report.IndexRow] = []
        var kept: BuiltIndex?
        for n in sizes {
            let tfidfCPU = Measure.cpuSeconds()
            let ((model, matrix), tfidfSeconds) = Measure.seconds {
                let documents = Inputs.words(lines[0..<n], threads: threads)
                let model = TfidfModel.fit(documents: documents, minimumDocumentFrequency: defaults.minimumDocumentFrequency)
                return (model, model.matrix(documents: documents, threads: threads))
            }
            let tfidfCPUSeconds = Measure.cpuSeconds() - tfidfCPU
            for k in ks {
                let svdCPU = Measure.cpuSeconds()
                var parameters = defaults.lsa
                parameters.rank = k
                parameters.powerIterations = powerIterations
                let (lsa, fitSeconds) = try Measure.seconds { try LatentSemanticModel.fit(matrix, parameters: parameters, threads: threads) }
                let (vectors, projectSeconds) = Measure.seconds { lsa.project(matrix, threads: threads) }
                let svdSeconds = fitSeconds + projectSeconds
                let svdCPUSeconds = Measure.cpuSeconds() - svdCPU
                rows.append(.init(n: n, k: k, tfidf_seconds: Measure.rounded(tfidfSeconds, 3),
                                  svd_seconds: Measure.rounded(svdSeconds, 3),
                                  total_seconds: Measure.rounded(tfidfSeconds + svdSeconds, 3),
                                  fit_seconds: Measure.rounded(fitSeconds, 3), project_seconds: Measure.rounded(projectSeconds, 3),
                                  tfidf_cpu_seconds: Measure.rounded(tfidfCPUSeconds, 3), svd_cpu_seconds: Measure.rounded(svdCPUSeconds, 3),
                                  vocabulary: model.vocabulary.count, nnz: matrix.nonZeroCount,
                                  power_iterations: parameters.powerIterations, oversampling: parameters.oversampling))
                log(String(format: "index n=%d k=%d: tfidf %.2f s (CPU %.2f), svd %.2f s (CPU %.2f; fit %.2f, project %.2f), total %.2f s; %d terms, %d non-zeros",
                           n, k, tfidfSeconds, tfidfCPUSeconds, svdSeconds, svdCPUSeconds, fitSeconds, projectSeconds, tfidfSeconds + svdSeconds,
                           model.vocabulary.count, matrix.nonZeroCount))
                if n == sizes.last, k == ks.last {
                    kept = BuiltIndex(n: n, k: k, tfidf: model, matrix: matrix, lsa: lsa, vectors: vectors)
                }
            }
        }
        return (rows, kept)
    }

    // MARK: - Queries

    /// Query vectors as the engine folds in a record that is not in the model: unit TF-IDF
    /// weights of its tokens, projected into the LSA space. Returns the per-query seconds too.
    private func foldIn(_ lines: [Substring], _ records: [RecordText], built: BuiltIndex,
                       industries: inout IndustryCodes) -> ([QueryVector], [Double]) {
        var vectors: [QueryVector] = []
        var seconds: [Double] = []
        vectors.reserveCapacity(lines.count)
        for (line, record) in zip(lines, records) {
            let terms = Inputs.words(line)
            let traits = industries.traits(record.industry ?? [])
            let (vector, elapsed) = Measure.seconds {
                let lexical = built.tfidf.vector(of: terms)
                return QueryVector(lexical: lexical, latent: built.lsa.project(lexical), traits: traits)
            }
            vectors.append(vector)
            seconds.append(elapsed)
        }
        return (vectors, seconds)
    }

    private struct Latency {
        var hybrid: [Double], latent: [Double]
        var hybridResults: [[ScoredIndex]]
    }

    /// One query at a time, top `top`: `warmup` untimed queries, then `latencyQueries` timed
    /// ones, for the full hybrid ranker and for the latent-only one. Milliseconds.
    private func oneAtATime(_ queries: [QueryVector], hybrid: HybridRanker, latentOnly: HybridRanker) -> Latency {
        let timed = Array(queries[warmup..<(warmup + latencyQueries)])
        var out = Latency(hybrid: [], latent: [], hybridResults: [])
        for ranker in [latentOnly, hybrid] {
            for q in queries[0..<warmup] { _ = ranker.rank(q, top: top) }
        }
        for q in timed {
            let start = Measure.nanoseconds()
            let result = hybrid.rank(q, top: top)
            out.hybrid.append(Double(Measure.nanoseconds() - start) / 1e6)
            out.hybridResults.append(result)
        }
        for q in timed {
            let start = Measure.nanoseconds()
            let result = latentOnly.rank(q, top: top)
            out.latent.append(Double(Measure.nanoseconds() - start) / 1e6)
            precondition(result.count == min(top, latentOnly.candidates.count))
        }
        log(String(format: "one query, %d × %d: hybrid p50 %.3f ms p99 %.3f ms; latent only p50 %.3f ms p99 %.3f ms",
                   hybrid.candidates.count, hybrid.candidates.latent.columns,
                   Measure.percentile(out.hybrid, 50), Measure.percentile(out.hybrid, 99),
                   Measure.percentile(out.latent, 50), Measure.percentile(out.latent, 99)))
        return out
    }

    private struct Batch {
        var hybridSeconds: Double, latentSeconds: Double
        var workers: Int, blasThreads: Int
        var matchesSingle: Bool
    }

    /// All queries at once by `HybridRanker.rank(_:top:threads:)`: blocks of queries, one
    /// `sgemm` per block. With one thread, BLAS and the ranking share it; with more, the blocks
    /// are spread over `threads` workers and BLAS is held to one thread per call, so the
    /// workers' selection overlaps other blocks' products instead of waiting for them.
    private func rankBatch(_ queries: [QueryVector], hybrid: HybridRanker, latentOnly: HybridRanker,
                           check: [[ScoredIndex]]) -> Batch {
        let workers = threads
        BLASThreads.set(1)
        defer { BLASThreads.set(threads) }
        _ = latentOnly.rank(Array(queries.prefix(64)), top: top, threads: workers)
        let (hybridResults, hybridSeconds) = Measure.seconds { hybrid.rank(queries, top: top, threads: workers) }
        let (_, latentSeconds) = Measure.seconds { latentOnly.rank(queries, top: top, threads: workers) }
        // The timed single queries are queries[warmup ..< warmup + latencyQueries].
        let upper = min(queries.count, warmup + check.count)
        let matches = warmup < upper && zip(hybridResults[warmup..<upper], check).allSatisfy { batch, single in
            batch.map(\.index) == single.map(\.index)
        }
        let d = Double(hybrid.candidates.latent.columns), nd = Double(hybrid.candidates.count), nq = Double(queries.count)
        log(String(format: "batch %d × %d × %d: hybrid %.2f s (%.1f GFLOP/s), latent only %.2f s (%.1f GFLOP/s); %d workers; batch equals single: %@",
                   queries.count, hybrid.candidates.count, hybrid.candidates.latent.columns,
                   hybridSeconds, 2 * nq * nd * d / hybridSeconds / 1e9, latentSeconds, 2 * nq * nd * d / latentSeconds / 1e9,
                   workers, matches ? "yes" : "NO"))
        return Batch(hybridSeconds: hybridSeconds, latentSeconds: latentSeconds, workers: workers, blasThreads: 1,
                     matchesSingle: matches)
    }

    // MARK: - sgemm

    /// `DenseMatrix.product` of a 4096 × 256 and a 256 × 4096 float32 matrix (m × n × k =
    /// 4096 × 4096 × 256), one warm-up, then `sgemmReps` timed.
    private func measureSgemm() -> (flop: Double, median: Double, best: Double) {
        let m = 4096, n = 4096, k = 256
        var generator = SplitMix64(seed: 1)
        let a = try! DenseMatrix(rows: m, columns: k, storage: (0..<(m * k)).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 })
        let b = try! DenseMatrix(rows: k, columns: n, storage: (0..<(k * n)).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 })
        _ = DenseMatrix.product(a, b)
        var times: [Double] = []
        for _ in 0..<sgemmReps {
            let (c, seconds) = Measure.seconds { DenseMatrix.product(a, b) }
            precondition(c.rows == m && c.columns == n)
            times.append(seconds)
        }
        let flop = 2.0 * Double(m) * Double(n) * Double(k)
        log(String(format: "sgemm %d×%d×%d: %.1f GFLOP/s (median of %d), best %.1f", m, n, k,
                   flop / Measure.median(times) / 1e9, times.count, flop / times.min()! / 1e9))
        return (flop, Measure.median(times), times.min()!)
    }
}

/// Industry codes as bit sets, assigned in order of first appearance, so that the ranking's
/// shared-industry adjustments see the records' industries (the first listed is the primary).
struct IndustryCodes {
    private var codes: [String: UInt16] = [:]

    mutating func bit(_ name: String) -> UInt16 {
        if let known = codes[name] { return known }
        let bit: UInt16 = codes.count < 16 ? 1 << UInt16(codes.count) : 0
        codes[name] = bit
        return bit
    }

    mutating func traits(_ industries: [String]) -> PairTraits {
        let bits = industries.reduce(UInt16(0)) { $0 | bit($1) }
        return PairTraits(industries: bits, primaryIndustry: industries.first.map { bit($0) } ?? 0)
    }
}
