#!/usr/bin/env python3
"""Speed of the peer libraries on the benchmark corpus, in one process.

Stages (each can be skipped): jieba tokenization, TF-IDF + LSA index builds
with scikit-learn and gensim, faiss flat inner-product search (one query at a
time and batched), bm25s, and a numpy float32 matrix product.

The thread count is fixed before numpy is imported (OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS, MKL_NUM_THREADS), enforced again with threadpoolctl,
and passed to faiss.omp_set_num_threads.

Prints a table, then the results as one JSON object with sorted keys (also
written to --json-out). The JSON layout is described in Benchmarks/README.md.
"""

from __future__ import annotations

from pin_threads import THREADS  # before numpy: fixes the thread count

import os  # noqa: E402
import sys  # noqa: E402

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from importlib import metadata  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

PEER_PACKAGES = ["numpy", "scipy", "scikit-learn", "gensim", "faiss-cpu", "jieba",
                 "bm25s", "threadpoolctl"]


def rss_now_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Recorder:
    def __init__(self) -> None:
        self.results: dict = {}
        self.rss: dict[str, dict[str, float]] = {}

    def stage_done(self, stage: str) -> None:
        self.rss[stage] = {"peak_rss_mb": round(rss_peak_mb(), 1),
                           "rss_mb": round(rss_now_mb(), 1)}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PEER_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def read_texts(path: str, limit_bytes: int) -> list[tuple[str, str]]:
    """(title, summary) pairs from the start of a JSONL file, up to limit_bytes of text."""
    pairs = []
    total = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            title = record.get("title", "")
            body = record.get("summary", record.get("description", ""))
            pairs.append((title, body))
            total += len(title.encode("utf-8")) + len(body.encode("utf-8"))
            if total >= limit_bytes:
                break
    return pairs


def read_lines(path: str, limit: int) -> list[str]:
    lines = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            lines.append(line.rstrip("\n"))
            if len(lines) >= limit:
                break
    return lines


class Stopwatch:
    """Wall-clock and process CPU seconds since construction."""

    def __init__(self) -> None:
        self.wall0 = time.perf_counter()
        self.cpu0 = time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall0, time.process_time() - self.cpu0


def milliseconds_percentiles(samples_ns: list[int]) -> dict[str, float]:
    array = np.asarray(samples_ns, dtype=np.float64) / 1e6
    p50, p99 = np.percentile(array, [50, 99])
    return {"p50_ms": round(float(p50), 4), "p99_ms": round(float(p99), 4),
            "mean_ms": round(float(array.mean()), 4), "queries": len(samples_ns)}


# ---------------------------------------------------------------- stages

def bench_tokenize(args, rec: Recorder) -> None:
    import jieba
    jieba.setLogLevel(logging.WARNING)
    pairs = read_texts(args.corpus, int(args.tokenize_mb * 2**20))
    size = sum(len(t.encode("utf-8")) + len(s.encode("utf-8")) for t, s in pairs)
    started = time.perf_counter()
    jieba.initialize()
    init_seconds = time.perf_counter() - started
    out = {"jieba_init_seconds": round(init_seconds, 3), "bytes": size, "docs": len(pairs)}
    for name, hmm in (("jieba_hmm", True), ("jieba_no_hmm", False)):
        gc.collect()
        count = 0
        watch = Stopwatch()
        for title, summary in pairs:
            count += len(jieba.lcut(title, HMM=hmm))
            count += len(jieba.lcut(summary, HMM=hmm))
        seconds, cpu = watch.read()
        out[name] = {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                     "mbps": round(size / seconds / 1e6, 3), "cpu_mbps": round(size / cpu / 1e6, 3),
                     "tokens": count}
        log(f"tokenize {name}: {size / 1e6:.1f} MB in {seconds:.2f}s")
    rec.results["tokenize"] = out
    rec.stage_done("tokenize")


def bench_index(args, rec: Recorder, documents: list[str], queries: list[str]):
    """Returns (document vectors, query vectors) of the largest sklearn run."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    sk_rows = []
    gensim_rows = []
    kept = None
    for n in args.sizes:
        docs = documents[:n]
        if len(docs) < n:
            log(f"index: only {len(docs)} documents available for n={n}")
        if not args.skip_sklearn:
            gc.collect()
            vectorizer = TfidfVectorizer(tokenizer=str.split, token_pattern=None,
                                         lowercase=False, sublinear_tf=True, norm="l2",
                                         smooth_idf=True, dtype=np.float64)
            watch = Stopwatch()
            matrix = vectorizer.fit_transform(docs)
            tfidf_seconds, tfidf_cpu = watch.read()
            for k in args.ks:
                gc.collect()
                svd = TruncatedSVD(n_components=k, algorithm="randomized", random_state=0)
                watch = Stopwatch()
                vectors = svd.fit_transform(matrix)
                svd_seconds, svd_cpu = watch.read()
                params = svd.get_params()
                sk_rows.append({
                    "n": len(docs), "k": k, "tfidf_seconds": round(tfidf_seconds, 3),
                    "svd_seconds": round(svd_seconds, 3),
                    "total_seconds": round(tfidf_seconds + svd_seconds, 3),
                    "tfidf_cpu_seconds": round(tfidf_cpu, 3), "svd_cpu_seconds": round(svd_cpu, 3),
                    "total_cpu_seconds": round(tfidf_cpu + svd_cpu, 3),
                    "vocabulary": len(vectorizer.vocabulary_), "nnz": int(matrix.nnz),
                    "explained_variance_ratio": round(float(svd.explained_variance_ratio_.sum()), 4),
                    "n_iter": params["n_iter"], "n_oversamples": params["n_oversamples"],
                    "power_iteration_normalizer": params["power_iteration_normalizer"],
                })
                log(f"sklearn n={len(docs)} k={k}: tfidf {tfidf_seconds:.2f}s svd {svd_seconds:.2f}s")
                if kept is None or (len(docs), k) >= kept[0]:
                    query_vectors = None
                    if queries:
                        query_vectors = svd.transform(vectorizer.transform(queries))
                    kept = ((len(docs), k), vectors, query_vectors)
                del svd
            del matrix, vectorizer
            rec.stage_done(f"sklearn_n{n}")
        if not args.skip_gensim:
            gensim_rows.extend(bench_gensim(args, docs))
            rec.stage_done(f"gensim_n{n}")
    rec.results["index"] = {"sklearn": sk_rows, "gensim": gensim_rows}
    if kept is None:
        return None, None
    return kept[1], kept[2]


def bench_gensim(args, docs: list[str]) -> list[dict]:
    from gensim.corpora import Dictionary
    from gensim.matutils import corpus2dense
    from gensim.models import LsiModel, TfidfModel

    logging.getLogger("gensim").setLevel(logging.WARNING)
    gc.collect()
    watch = Stopwatch()
    tokenized = [line.split() for line in docs]
    dictionary = Dictionary(tokenized)
    bow = [dictionary.doc2bow(tokens) for tokens in tokenized]
    dictionary_seconds, dictionary_cpu = watch.read()
    del tokenized
    watch = Stopwatch()
    model = TfidfModel(bow, id2word=dictionary, smartirs="lfc")
    weighted = [model[doc] for doc in bow]
    tfidf_seconds, tfidf_cpu = watch.read()
    rows = []
    for k in args.ks:
        gc.collect()
        watch = Stopwatch()
        lsi = LsiModel(weighted, id2word=dictionary, num_topics=k, random_seed=0)
        lsi_seconds, lsi_cpu = watch.read()
        watch = Stopwatch()
        projected = corpus2dense(lsi[weighted], k, len(weighted))
        project_seconds, project_cpu = watch.read()
        rows.append({
            "n": len(docs), "k": k, "dictionary_seconds": round(dictionary_seconds, 3),
            "tfidf_seconds": round(tfidf_seconds, 3), "lsi_seconds": round(lsi_seconds, 3),
            "project_seconds": round(project_seconds, 3),
            "total_seconds": round(dictionary_seconds + tfidf_seconds + lsi_seconds
                                   + project_seconds, 3),
            "total_cpu_seconds": round(dictionary_cpu + tfidf_cpu + lsi_cpu + project_cpu, 3),
            "vocabulary": len(dictionary), "power_iters": lsi.power_iters,
            "extra_samples": lsi.extra_samples, "onepass": lsi.onepass,
            "chunksize": lsi.chunksize,
        })
        log(f"gensim n={len(docs)} k={k}: dict {dictionary_seconds:.2f}s tfidf {tfidf_seconds:.2f}s "
            f"lsi {lsi_seconds:.2f}s project {project_seconds:.2f}s")
        del lsi, projected
    return rows


def normalized(vectors: np.ndarray) -> np.ndarray:
    out = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return out / norms


def bench_faiss(args, rec: Recorder, doc_vectors: np.ndarray, query_vectors: np.ndarray) -> None:
    import faiss
    faiss.omp_set_num_threads(args.threads)
    base = normalized(doc_vectors)
    queries = normalized(query_vectors)
    nd, d = base.shape
    index = faiss.IndexFlatIP(d)
    started = time.perf_counter()
    index.add(base)
    add_seconds = time.perf_counter() - started

    single = queries[:args.latency_queries]
    for i in range(min(args.warmup, len(single))):
        index.search(single[i:i + 1], args.topk)
    faiss_ns = []
    faiss_ids = []
    for i in range(len(single)):
        q = single[i:i + 1]
        t0 = time.perf_counter_ns()
        _, ids = index.search(q, args.topk)
        faiss_ns.append(time.perf_counter_ns() - t0)
        faiss_ids.append(ids[0])

    numpy_ns = []
    agree = 0
    for i in range(len(single)):
        q = single[i]
        t0 = time.perf_counter_ns()
        scores = base @ q
        top = np.argpartition(-scores, args.topk)[:args.topk]
        top = top[np.argsort(-scores[top], kind="stable")]
        numpy_ns.append(time.perf_counter_ns() - t0)
        agree += len(set(top.tolist()) & set(faiss_ids[i].tolist()))
    query = {
        "faiss_flat_ip": {"n": nd, "d": d, "k": args.topk, "add_seconds": round(add_seconds, 4),
                          **milliseconds_percentiles(faiss_ns)},
        "numpy_matvec": {"n": nd, "d": d, "k": args.topk, **milliseconds_percentiles(numpy_ns),
                         "overlap_with_faiss": round(agree / max(1, len(single) * args.topk), 4)},
    }
    rec.results["query"] = query
    log(f"faiss one query: p50 {query['faiss_flat_ip']['p50_ms']} ms, "
        f"p99 {query['faiss_flat_ip']['p99_ms']} ms")

    batch = queries[:args.batch_queries]
    index.search(batch[:64], args.topk)
    gc.collect()
    watch = Stopwatch()
    index.search(batch, args.topk)
    seconds, cpu = watch.read()
    nq = len(batch)
    rec.results["batch"] = {"faiss_flat_ip": {
        "nq": nq, "nd": nd, "d": d, "k": args.topk, "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "gflops": round(2.0 * nq * nd * d / seconds / 1e9, 2)}}
    log(f"faiss batch {nq}x{nd}x{d}: {seconds:.2f}s")
    rec.stage_done("faiss")


def bench_bm25(args, rec: Recorder, documents: list[str], queries: list[str]) -> None:
    import bm25s
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    n = max(args.sizes)
    gc.collect()
    corpus = [line.split() for line in documents[:n]]
    query_tokens = [line.split() for line in queries[:args.bm25_queries]]
    retriever = bm25s.BM25()
    watch = Stopwatch()
    retriever.index(corpus, show_progress=False)
    index_seconds, index_cpu = watch.read()
    del corpus
    watch = Stopwatch()
    retriever.retrieve(query_tokens, k=args.topk, show_progress=False, n_threads=0)
    retrieve_seconds, retrieve_cpu = watch.read()
    nq = len(query_tokens)
    rec.results["bm25"] = {"bm25s": {
        "n": n, "queries": nq, "k": args.topk, "k1": retriever.k1, "b": retriever.b,
        "method": retriever.method, "backend": retriever.backend,
        "index_seconds": round(index_seconds, 3), "retrieve_seconds": round(retrieve_seconds, 3),
        "index_cpu_seconds": round(index_cpu, 3), "retrieve_cpu_seconds": round(retrieve_cpu, 3),
        "query_mean_ms": round(retrieve_seconds / max(1, nq) * 1000, 4)}}
    log(f"bm25s n={n}: index {index_seconds:.2f}s, {nq} queries {retrieve_seconds:.2f}s")
    rec.stage_done("bm25")


def bench_sgemm(args, rec: Recorder) -> None:
    m, n, k = 4096, 4096, 256
    rng = np.random.Generator(np.random.PCG64(0))
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = a @ b
    times = []
    for _ in range(args.sgemm_reps):
        t0 = time.perf_counter()
        c = a @ b
        times.append(time.perf_counter() - t0)
    best = min(times)
    median = float(np.median(times))
    flop = 2.0 * m * n * k
    rec.results["sgemm"] = {"numpy": {
        "m": m, "n": n, "k": k, "reps": len(times), "best_seconds": round(best, 5),
        "median_seconds": round(median, 5), "gflops": round(flop / median / 1e9, 2),
        "best_gflops": round(flop / best / 1e9, 2), "checksum": round(float(c[0, 0]), 3)}}
    log(f"sgemm {m}x{n}x{k}: {flop / median / 1e9:.1f} GFLOP/s")
    rec.stage_done("sgemm")


# ---------------------------------------------------------------- output

def table(results: dict) -> str:
    lines = [f"peers, threads={results['threads']}  ({results['machine']['cpu']})"]
    tok = results.get("tokenize")
    if tok:
        lines.append(f"tokenize  {tok['bytes'] / 1e6:.1f} MB, {tok['docs']} docs")
        for name in ("jieba_hmm", "jieba_no_hmm"):
            lines.append(f"  {name:<14} {tok[name]['mbps']:8.3f} MB/s  ({tok[name]['seconds']:.2f}s, "
                         f"{tok[name]['cpu_mbps']:.3f} MB/s of CPU time)")
    index = results.get("index", {})
    if index.get("sklearn"):
        lines.append("index     sklearn TfidfVectorizer + TruncatedSVD (randomized)")
        lines.append(f"  {'n':>7} {'k':>4} {'tfidf s':>9} {'svd s':>9} {'total s':>9} {'cpu s':>9}")
        for row in index["sklearn"]:
            lines.append(f"  {row['n']:>7} {row['k']:>4} {row['tfidf_seconds']:>9.2f} "
                         f"{row['svd_seconds']:>9.2f} {row['total_seconds']:>9.2f} "
                         f"{row['total_cpu_seconds']:>9.2f}")
    if index.get("gensim"):
        lines.append("index     gensim Dictionary + TfidfModel + LsiModel (+ projection)")
        lines.append(f"  {'n':>7} {'k':>4} {'dict s':>9} {'tfidf s':>9} {'lsi s':>9} "
                     f"{'proj s':>9} {'total s':>9} {'cpu s':>9}")
        for row in index["gensim"]:
            lines.append(f"  {row['n']:>7} {row['k']:>4} {row['dictionary_seconds']:>9.2f} "
                         f"{row['tfidf_seconds']:>9.2f} {row['lsi_seconds']:>9.2f} "
                         f"{row['project_seconds']:>9.2f} {row['total_seconds']:>9.2f} "
                         f"{row['total_cpu_seconds']:>9.2f}")
    query = results.get("query")
    if query:
        f = query["faiss_flat_ip"]
        npy = query["numpy_matvec"]
        lines.append(f"query     one at a time, {f['n']} x {f['d']}, top {f['k']}, {f['queries']} queries")
        lines.append(f"  faiss IndexFlatIP   p50 {f['p50_ms']:.3f} ms  p99 {f['p99_ms']:.3f} ms")
        lines.append(f"  numpy matvec+part.  p50 {npy['p50_ms']:.3f} ms  p99 {npy['p99_ms']:.3f} ms"
                     f"  (top-{npy['k']} overlap {npy['overlap_with_faiss']:.3f})")
    batch = results.get("batch")
    if batch:
        b = batch["faiss_flat_ip"]
        lines.append(f"batch     faiss {b['nq']} x {b['nd']} x {b['d']}: {b['seconds']:.2f}s "
                     f"(CPU {b['cpu_seconds']:.2f}s), {b['gflops']:.1f} GFLOP/s")
    bm25 = results.get("bm25")
    if bm25:
        b = bm25["bm25s"]
        lines.append(f"bm25      bm25s n={b['n']}: index {b['index_seconds']:.2f}s, "
                     f"{b['queries']} queries {b['retrieve_seconds']:.2f}s "
                     f"({b['query_mean_ms']:.3f} ms/query)")
    sgemm = results.get("sgemm")
    if sgemm:
        s = sgemm["numpy"]
        lines.append(f"sgemm     numpy {s['m']}x{s['n']}x{s['k']} float32: {s['gflops']:.1f} GFLOP/s "
                     f"(best {s['best_gflops']:.1f})")
    lines.append(f"peak RSS  {results['peak_rss_mb']:.0f} MB")
    machine = results["machine"]
    lines.append(f"load avg  start {machine['loadavg_start'][0]:.2f}, end {machine['loadavg_end'][0]:.2f} "
                 f"(1 min; other work on the machine skews the timings)")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".data")
    data = os.path.normpath(data)
    parser.add_argument("--corpus", default=os.path.join(data, "corpus-100k-s7.jsonl"))
    parser.add_argument("--tokens", default=os.path.join(data, "corpus-100k-s7.tokens.txt"))
    parser.add_argument("--queries-tokens", default=os.path.join(data, "queries-10k-s7.tokens.txt"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--ks", default="128,256")
    parser.add_argument("--topk", type=int, default=10)
    parser.add_argument("--tokenize-mb", type=float, default=20.0,
                        help="tokenize the first MB of title+summary text (UTF-8)")
    parser.add_argument("--latency-queries", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--batch-queries", type=int, default=10000)
    parser.add_argument("--bm25-queries", type=int, default=1000)
    parser.add_argument("--sgemm-reps", type=int, default=5)
    parser.add_argument("--json-out", help="also write the JSON object here")
    for stage in ("tokenize", "index", "sklearn", "gensim", "faiss", "bm25", "sgemm"):
        parser.add_argument(f"--skip-{stage}", action="store_true")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(x) for x in args.sizes.split(",") if x})
    args.ks = sorted({int(x) for x in args.ks.split(",") if x})
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    rec = Recorder()
    rec.results.update({
        "threads": args.threads,
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "packages": package_versions(),
                    "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
        "data": {"corpus": args.corpus, "tokens": args.tokens, "queries_tokens": args.queries_tokens,
                 "sizes": args.sizes, "ks": args.ks},
    })
    with threadpool_limits(limits=args.threads):
        if not args.skip_tokenize:
            bench_tokenize(args, rec)
        need_tokens = not (args.skip_index and args.skip_bm25)
        documents = read_lines(args.tokens, max(args.sizes)) if need_tokens else []
        queries = []
        if need_tokens and os.path.exists(args.queries_tokens):
            queries = read_lines(args.queries_tokens,
                                 max(args.batch_queries, args.latency_queries, args.bm25_queries))
        rec.stage_done("load")
        doc_vectors = query_vectors = None
        if not args.skip_index:
            doc_vectors, query_vectors = bench_index(args, rec, documents, queries)
        if not args.skip_faiss:
            if doc_vectors is None:
                log("faiss: skipped, it searches the sklearn LSA vectors (run the sklearn index stage)")
            else:
                if query_vectors is None:
                    log("faiss: no query tokens, searching with document vectors")
                    query_vectors = doc_vectors[:args.batch_queries]
                bench_faiss(args, rec, doc_vectors, query_vectors)
        del doc_vectors, query_vectors
        if not args.skip_bm25:
            bench_bm25(args, rec, documents, queries or documents[:args.bm25_queries])
        if not args.skip_sgemm:
            bench_sgemm(args, rec)
    rec.results["rss"] = rec.rss
    rec.results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    rec.results["peak_rss_mb"] = round(rss_peak_mb(), 1)
    print(table(rec.results))
    text = json.dumps(rec.results, sort_keys=True, indent=1)
    print(text)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
