#!/usr/bin/env python3
"""Quality baselines for need <-> achievement matching, scored with ir_measures.

Runs, in both directions (queries = needs over achievements, and the reverse):

  jieba-tfidf   jieba.lcut tokens, TfidfVectorizer(sublinear_tf, l2), cosine
  char12-tfidf  character 1-2-grams, TfidfVectorizer(sublinear_tf, l2), cosine
  bm25s         bm25s.BM25() with its defaults over jieba tokens
  lsa-K         jieba TF-IDF -> TruncatedSVD(K, randomized, random_state=0), cosine

Record text: title, summary/description, application and keywords, joined by
newlines. TF-IDF and LSA are fitted once on needs + achievements together;
BM25 indexes the side being searched.

Each run is written as a TREC run (top 100, ranks from 1, scores rounded to 6
decimals and descending, ties broken by ascending document id) and evaluated
with ir_measures. Evaluation reads every run, ours or --run, in the order
(score descending, doc id ascending) so that exact ties are broken the same
way for everyone. Queries are those with at least one judgment of grade >= 1;
a query missing from a run scores 0.
"""

from __future__ import annotations

from pin_threads import THREADS  # before numpy: fixes the thread count

import os  # noqa: E402
import sys  # noqa: E402

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

MEASURE_NAMES = ["nDCG@10", "nDCG@20", "AP", "RR", "P@5", "R@10", "R@50", "R@100"]
DEPTH = 100
DIRECTIONS = {
    "need": ("needs", "achievements"),
    "achievement": ("achievements", "needs"),
}
TEXT_FIELDS = ["title", "summary", "description", "application"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data

def read_records(path: str) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                sys.exit(f"{path}:{number}: not JSON ({error.msg})")
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                sys.exit(f"{path}:{number}: field 'id' missing or not a string")
            records.append(record)
    return records


def record_text(record: dict) -> str:
    parts = [record[f] for f in TEXT_FIELDS if isinstance(record.get(f), str) and record[f]]
    keywords = record.get("keywords")
    if isinstance(keywords, list):
        parts.append(" ".join(k for k in keywords if isinstance(k, str)))
    return "\n".join(parts)


def read_qrels(path: str) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 4:
                sys.exit(f"{path}:{number}: expected 'query 0 doc grade'")
            qrels[fields[0]][fields[2]] = int(fields[3])
    return dict(qrels)


def read_run(path: str) -> dict[str, list[tuple[str, float]]]:
    run: dict[str, list[tuple[str, float]]] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) < 5:
                sys.exit(f"{path}:{number}: expected 'query Q0 doc rank score [tag]'")
            run[fields[0]].append((fields[2], float(fields[4])))
    return dict(run)


def run_tag(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) >= 6:
                return fields[5]
    return os.path.splitext(os.path.basename(path))[0]


# ---------------------------------------------------------------- text

class JiebaTokens:
    def __init__(self) -> None:
        import jieba
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        self._cut = jieba.lcut

    def __call__(self, text: str) -> list[str]:
        return [t.lower() for t in self._cut(text) if any(ch.isalnum() for ch in t)]


def passthrough(tokens: list[str]) -> list[str]:
    return tokens


def tfidf(**options):
    from sklearn.feature_extraction.text import TfidfVectorizer
    return TfidfVectorizer(sublinear_tf=True, norm="l2", smooth_idf=True, dtype=np.float64, **options)


def l2_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


# ---------------------------------------------------------------- ranking

class Ranker:
    """Top-DEPTH by (score desc, doc id asc) over scores rounded to 6 decimals."""

    def __init__(self, doc_ids: list[str], depth: int = DEPTH) -> None:
        self.doc_ids = doc_ids
        order = sorted(range(len(doc_ids)), key=doc_ids.__getitem__)
        self.id_rank = np.empty(len(doc_ids), dtype=np.int64)
        self.id_rank[order] = np.arange(len(doc_ids))
        self.depth = depth

    def top(self, scores: np.ndarray, positive_only: bool) -> list[tuple[str, float]]:
        s = np.round(np.asarray(scores, dtype=np.float64), 6) + 0.0
        candidates = np.flatnonzero(s > 0) if positive_only else np.arange(len(s))
        if len(candidates) > self.depth:
            values = s[candidates]
            threshold = np.partition(values, len(values) - self.depth)[len(values) - self.depth]
            candidates = candidates[values >= threshold]
        order = np.lexsort((self.id_rank[candidates], -s[candidates]))
        chosen = candidates[order][:self.depth]
        return [(self.doc_ids[i], float(s[i])) for i in chosen]


def rank_by_matrix(query_matrix, doc_matrix, ranker: Ranker, positive_only: bool,
                   block: int = 512) -> list[list[tuple[str, float]]]:
    out = []
    doc_t = doc_matrix.T
    if sp.issparse(doc_t):
        doc_t = doc_t.tocsc()
    for start in range(0, query_matrix.shape[0], block):
        scores = query_matrix[start:start + block] @ doc_t
        if sp.issparse(scores):
            scores = scores.toarray()
        for row in np.asarray(scores):
            out.append(ranker.top(row, positive_only))
    return out


def write_run(path: str, query_ids: list[str], ranked: list[list[tuple[str, float]]], tag: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for qid, docs in zip(query_ids, ranked):
            for rank, (doc_id, score) in enumerate(docs, start=1):
                handle.write(f"{qid} Q0 {doc_id} {rank} {score:.6f} {tag}\n")


# ---------------------------------------------------------------- evaluation

def evaluate(qrels: dict[str, dict[str, int]], run: dict[str, list[tuple[str, float]]]) -> dict:
    import ir_measures
    measures = [ir_measures.parse_measure(name) for name in MEASURE_NAMES]
    queries = sorted(q for q, judged in qrels.items() if any(g >= 1 for g in judged.values()))
    qrel_list = [ir_measures.Qrel(q, d, g) for q in queries for d, g in sorted(qrels[q].items())]
    scored = []
    for q in queries:
        docs = sorted(run.get(q, []), key=lambda pair: (-pair[1], pair[0]))[:DEPTH]
        # Positions as scores: the evaluator then keeps exactly this order.
        scored.extend(ir_measures.ScoredDoc(q, d, float(len(docs) - i)) for i, (d, _) in enumerate(docs))
    sums = {name: 0.0 for name in MEASURE_NAMES}
    names = {str(m): name for m, name in zip(measures, MEASURE_NAMES)}
    for metric in ir_measures.iter_calc(measures, qrel_list, scored):
        sums[names[str(metric.measure)]] += float(metric.value)
    count = len(queries)
    result = {name: round(sums[name] / count, 4) if count else 0.0 for name in MEASURE_NAMES}
    result["queries"] = count
    result["queries_in_run"] = sum(1 for q in queries if run.get(q))
    return result


# ---------------------------------------------------------------- baselines

def build_runs(args, needs: list[dict], achievements: list[dict]) -> dict[str, dict[str, str]]:
    """Computes every baseline run; returns {direction: {tag: run path}}."""
    from sklearn.decomposition import TruncatedSVD

    texts = {"needs": [record_text(r) for r in needs],
             "achievements": [record_text(r) for r in achievements]}
    ids = {"needs": [r["id"] for r in needs], "achievements": [r["id"] for r in achievements]}
    n_needs = len(needs)
    union = texts["needs"] + texts["achievements"]

    started = time.perf_counter()
    tokenizer = JiebaTokens()
    tokens = [tokenizer(t) for t in union]
    log(f"jieba: {len(union)} records in {time.perf_counter() - started:.2f}s")

    def split(matrix):
        return {"needs": matrix[:n_needs], "achievements": matrix[n_needs:]}

    representations: dict[str, tuple[dict, bool]] = {}
    word_vectorizer = tfidf(analyzer=passthrough)
    word_matrix = word_vectorizer.fit_transform(tokens).tocsr()
    if "jieba-tfidf" in args.methods:
        representations["jieba-tfidf"] = (split(word_matrix), True)
    if "char12-tfidf" in args.methods:
        char_matrix = tfidf(analyzer="char", ngram_range=(1, 2)).fit_transform(union).tocsr()
        representations["char12-tfidf"] = (split(char_matrix), True)
    if "lsa" in args.methods:
        limit = min(word_matrix.shape) - 1
        for k in args.ks:
            used = max(1, min(k, limit))
            if used != k:
                log(f"lsa: k={k} exceeds the matrix rank bound, using k={used}")
            svd = TruncatedSVD(n_components=used, algorithm="randomized", random_state=0)
            dense = l2_rows(svd.fit_transform(word_matrix))
            representations[f"lsa-{k}"] = (split(dense), False)

    runs: dict[str, dict[str, str]] = {}
    os.makedirs(args.out_dir, exist_ok=True)
    for direction in args.directions:
        query_side, doc_side = DIRECTIONS[direction]
        ranker = Ranker(ids[doc_side])
        runs[direction] = {}
        for tag, (matrices, positive_only) in representations.items():
            started = time.perf_counter()
            ranked = rank_by_matrix(matrices[query_side], matrices[doc_side], ranker, positive_only)
            path = os.path.join(args.out_dir, f"{direction}-{tag}.run")
            write_run(path, ids[query_side], ranked, tag)
            runs[direction][tag] = path
            log(f"{direction} {tag}: {time.perf_counter() - started:.2f}s")
        if "bm25" in args.methods:
            started = time.perf_counter()
            side_tokens = {"needs": tokens[:n_needs], "achievements": tokens[n_needs:]}
            ranked = bm25_rank(side_tokens[query_side], side_tokens[doc_side], ranker)
            path = os.path.join(args.out_dir, f"{direction}-bm25s.run")
            write_run(path, ids[query_side], ranked, "bm25s")
            runs[direction]["bm25s"] = path
            log(f"{direction} bm25s: {time.perf_counter() - started:.2f}s")
    return runs


def bm25_rank(query_tokens: list[list[str]], doc_tokens: list[list[str]],
              ranker: Ranker) -> list[list[tuple[str, float]]]:
    import bm25s
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    retriever = bm25s.BM25()
    retriever.index(doc_tokens, show_progress=False)
    vocabulary = retriever.vocab_dict
    out = []
    for tokens in query_tokens:
        known = [t for t in tokens if t in vocabulary and t != ""]
        if not known:
            out.append([])
            continue
        out.append(ranker.top(retriever.get_scores(known), positive_only=True))
    return out


# ---------------------------------------------------------------- output

def detect_direction(path: str, explicit: str | None, need_ids: set[str],
                     achievement_ids: set[str]) -> str:
    if explicit:
        return explicit
    queries = set(read_run(path))
    if queries and queries <= need_ids:
        return "need"
    if queries and queries <= achievement_ids:
        return "achievement"
    sys.exit(f"{path}: query ids match neither needs nor achievements; prefix with need: or achievement:")


def print_tables(results: dict) -> None:
    titles = {"need": "need -> achievement", "achievement": "achievement -> need"}
    for direction, rows in results.items():
        if not rows:
            continue
        first = next(iter(rows.values()))
        print(f"\n{titles[direction]}  ({first['queries']} queries with a judgment of grade >= 1)")
        width = max(14, *(len(tag) + 2 for tag in rows))
        print(f"  {'run':<{width}}" + "".join(f"{name:>9}" for name in MEASURE_NAMES))
        for tag, row in rows.items():
            print(f"  {tag:<{width}}" + "".join(f"{row[name]:>9.4f}" for name in MEASURE_NAMES))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--achievements", default="Corpus/dev/achievements.jsonl")
    parser.add_argument("--needs", default="Corpus/dev/needs.jsonl")
    parser.add_argument("--qrels-need", default="Corpus/dev/qrels-need.txt",
                        help="need -> achievement qrels")
    parser.add_argument("--qrels-achievement", default="Corpus/dev/qrels-achievement.txt",
                        help="achievement -> need qrels")
    parser.add_argument("--out-dir", default="Benchmarks/.data/runs")
    parser.add_argument("--directions", default="need,achievement")
    parser.add_argument("--methods", default="jieba-tfidf,char12-tfidf,bm25,lsa")
    parser.add_argument("--ks", default="128,256", help="LSA dimensions")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--run", action="append", default=[], metavar="[need:|achievement:]FILE",
                        help="evaluate an extra TREC run too (repeatable)")
    parser.add_argument("--json-out", help="also write the JSON object here")
    args = parser.parse_args(argv)
    args.directions = [d for d in args.directions.split(",") if d]
    for d in args.directions:
        if d not in DIRECTIONS:
            parser.error(f"unknown direction {d!r} (need, achievement)")
    args.methods = {m for m in args.methods.split(",") if m}
    unknown = args.methods - {"jieba-tfidf", "char12-tfidf", "bm25", "lsa"}
    if unknown:
        parser.error(f"unknown methods: {', '.join(sorted(unknown))}")
    args.ks = [int(k) for k in args.ks.split(",") if k]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    needs = read_records(args.needs)
    achievements = read_records(args.achievements)
    qrels = {"need": read_qrels(args.qrels_need), "achievement": read_qrels(args.qrels_achievement)}
    with threadpool_limits(limits=args.threads):
        runs = build_runs(args, needs, achievements)
    need_ids = {r["id"] for r in needs}
    achievement_ids = {r["id"] for r in achievements}
    for spec in args.run:
        explicit = None
        path = spec
        for prefix in ("need:", "achievement:"):
            if spec.startswith(prefix):
                explicit, path = prefix[:-1], spec[len(prefix):]
        direction = detect_direction(path, explicit, need_ids, achievement_ids)
        tag = run_tag(path)
        runs.setdefault(direction, {})
        if tag in runs[direction]:
            tag = f"{tag} ({os.path.basename(path)})"
        runs[direction][tag] = path

    results: dict[str, dict[str, dict]] = {}
    for direction, by_tag in runs.items():
        results[direction] = {tag: evaluate(qrels[direction], read_run(path))
                              for tag, path in by_tag.items()}
    print_tables(results)
    text = json.dumps({"measures": MEASURE_NAMES, "relevance": "grade >= 1 for AP, RR, P, R; "
                       "nDCG gains are the grades", "depth": DEPTH, "results": results},
                      sort_keys=True, indent=1)
    print(text)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
