/// The benchmark's JSON output. Keys of the contract in `Benchmarks/README.md` keep their
/// names; the others are additions that `compare.py` ignores. Encoded with sorted keys.
struct Report: Encodable {
    struct IndexRow: Encodable {
        var n: Int
        var k: Int
        var tfidf_seconds: Double
        var svd_seconds: Double
        var total_seconds: Double
        /// Parts of `svd_seconds`: the randomized SVD, and the document vectors.
        var fit_seconds: Double
        var project_seconds: Double
        /// CPU seconds (all threads) of the TF-IDF and of the SVD + projection parts.
        var tfidf_cpu_seconds: Double
        var svd_cpu_seconds: Double
        var vocabulary: Int
        var nnz: Int
        var power_iterations: Int
        var oversampling: Int
    }

    var threads: Int
    /// BLAS threads in each stage, and the ranking workers of the batch.
    var blas_threads_index: Int
    var blas_threads_query: Int
    var blas_threads_batch: Int
    var batch_workers: Int
    var blas_library_threads: Int?

    /// With `tokenize_workers` workers (= threads), as the engine tokenizes when it builds a model.
    var tokenize_mbps: Double
    var tokenize_workers: Int
    /// One worker, the condition jieba always runs in.
    var tokenize_single_thread_mbps: Double
    /// One worker, bytes per CPU second: comparable with jieba's `cpu_mbps` when loads differ.
    var tokenize_cpu_mbps: Double
    var tokenize_seconds: Double
    var tokenize_bytes: Int
    var tokenize_docs: Int
    var tokenize_terms: Int
    var tokenize_load_seconds: Double

    var index: [IndexRow]

    /// The full hybrid ranking (λ = 0.5, TF-IDF + LSA, metadata adjustments).
    var query_p50_ms: Double
    var query_p99_ms: Double
    var query_mean_ms: Double
    /// Latent cosines only (λ = 0, no adjustments): `sgemv` + top-k, as faiss IndexFlatIP.
    var query_latent_p50_ms: Double
    var query_latent_p99_ms: Double
    var query_latent_mean_ms: Double
    /// Fold-in of one query (TF-IDF weights + LSA projection), not part of the latencies above.
    var query_foldin_p50_ms: Double
    var query_count: Int
    var query_top: Int

    var batch_seconds: Double
    var batch_gflops: Double
    var batch_latent_seconds: Double
    var batch_latent_gflops: Double
    var batch_nq: Int
    var batch_nd: Int
    var batch_d: Int
    /// Whether the batched rankings of the timed single queries equal their one-at-a-time rankings.
    var batch_matches_single: Bool

    var sgemm_gflops: Double
    var sgemm_best_gflops: Double
    var sgemm_median_seconds: Double

    var peak_rss_mb: Double
    var loadavg_start: Double
    var loadavg_end: Double
}
