#!/usr/bin/env python3
"""Engine-versus-peer ratios from the JSON of speed.py and of the engine's benchmark.

The engine's JSON keys are listed in Benchmarks/README.md. Every ratio is an
advantage: above 1 the engine is better (faster, higher rate, less memory),
below 1 the peer is. Keys missing on either side are reported as absent, not
guessed. Prints a table, then one JSON object with sorted keys.
"""

from __future__ import annotations

import argparse
import json
import sys

HIGHER = "higher is better"
LOWER = "lower is better"


def load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        sys.exit(f"compare: cannot read {path}: {error}")


def dig(data: dict, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data if isinstance(data, (int, float)) and not isinstance(data, bool) else None


def dig_list(data: dict, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return []
        data = data[key]
    return data if isinstance(data, list) else []


def index_rows(rows) -> dict[tuple[int, int], dict]:
    out = {}
    for row in rows or []:
        if isinstance(row, dict) and "n" in row and "k" in row:
            out[(int(row["n"]), int(row["k"]))] = row
    return out


def comparisons(peers: dict, engine: dict) -> list[dict]:
    rows: list[dict] = []

    def add(metric: str, peer: str, ours, theirs, direction: str) -> None:
        ratio = None
        if ours is not None and theirs is not None and ours > 0 and theirs > 0:
            ratio = ours / theirs if direction == HIGHER else theirs / ours
        rows.append({"metric": metric, "peer": peer, "engine": ours, "peer_value": theirs,
                     "better": direction, "advantage": None if ratio is None else round(ratio, 3)})

    add("tokenize_mbps", "jieba.lcut (HMM)", dig(engine, "tokenize_mbps"),
        dig(peers, "tokenize", "jieba_hmm", "mbps"), HIGHER)
    add("tokenize_mbps", "jieba.lcut (no HMM)", dig(engine, "tokenize_mbps"),
        dig(peers, "tokenize", "jieba_no_hmm", "mbps"), HIGHER)

    ours = index_rows(engine.get("index"))
    sklearn = index_rows(dig_list(peers, "index", "sklearn"))
    gensim = index_rows(dig_list(peers, "index", "gensim"))
    for key in sorted(set(ours) | set(sklearn)):
        n, k = key
        mine = ours.get(key, {})
        theirs = sklearn.get(key, {})
        for part in ("tfidf_seconds", "svd_seconds", "total_seconds"):
            add(f"index n={n} k={k} {part}", "scikit-learn", dig(mine, part), dig(theirs, part), LOWER)
        # CPU seconds resist other work on the machine better than wall time.
        mine_cpu = dig(mine, "total_cpu_seconds")
        if mine_cpu is None and dig(mine, "tfidf_cpu_seconds") is not None \
                and dig(mine, "svd_cpu_seconds") is not None:
            mine_cpu = dig(mine, "tfidf_cpu_seconds") + dig(mine, "svd_cpu_seconds")
        if mine_cpu is not None:
            add(f"index n={n} k={k} total_cpu_seconds", "scikit-learn", mine_cpu,
                dig(theirs, "total_cpu_seconds"), LOWER)
        if key in gensim:
            add(f"index n={n} k={k} total_seconds", "gensim", dig(mine, "total_seconds"),
                dig(gensim[key], "total_seconds"), LOWER)
            if mine_cpu is not None:
                add(f"index n={n} k={k} total_cpu_seconds", "gensim", mine_cpu,
                    dig(gensim[key], "total_cpu_seconds"), LOWER)

    # query_* and batch_* are the engine's full ranking; the optional *_latent_* keys are
    # latent cosines alone, the same work as faiss's flat inner-product search.
    for prefix in ("query", "query_latent"):
        if prefix == "query" or f"{prefix}_p50_ms" in engine:
            add(f"{prefix}_p50_ms", "faiss IndexFlatIP", dig(engine, f"{prefix}_p50_ms"),
                dig(peers, "query", "faiss_flat_ip", "p50_ms"), LOWER)
            add(f"{prefix}_p99_ms", "faiss IndexFlatIP", dig(engine, f"{prefix}_p99_ms"),
                dig(peers, "query", "faiss_flat_ip", "p99_ms"), LOWER)
    for prefix in ("batch", "batch_latent"):
        if prefix == "batch" or f"{prefix}_seconds" in engine:
            add(f"{prefix}_seconds", "faiss IndexFlatIP", dig(engine, f"{prefix}_seconds"),
                dig(peers, "batch", "faiss_flat_ip", "seconds"), LOWER)
            add(f"{prefix}_gflops", "faiss IndexFlatIP", dig(engine, f"{prefix}_gflops"),
                dig(peers, "batch", "faiss_flat_ip", "gflops"), HIGHER)
    if "bm25_index_seconds" in engine or "bm25_query_ms" in engine:
        add("bm25_index_seconds", "bm25s", dig(engine, "bm25_index_seconds"),
            dig(peers, "bm25", "bm25s", "index_seconds"), LOWER)
        add("bm25_query_ms", "bm25s", dig(engine, "bm25_query_ms"),
            dig(peers, "bm25", "bm25s", "query_mean_ms"), LOWER)
    add("sgemm_gflops", "numpy (OpenBLAS)", dig(engine, "sgemm_gflops"),
        dig(peers, "sgemm", "numpy", "gflops"), HIGHER)
    add("peak_rss_mb", "peer process (all stages)", dig(engine, "peak_rss_mb"),
        dig(peers, "peak_rss_mb"), LOWER)
    return rows


def warnings(peers: dict, engine: dict) -> list[str]:
    notes = []
    if peers.get("threads") != engine.get("threads"):
        notes.append(f"thread counts differ: peers {peers.get('threads')}, engine {engine.get('threads')}")
    batch = (peers.get("batch") or {}).get("faiss_flat_ip") or {}
    for ours, theirs in (("batch_nq", "nq"), ("batch_nd", "nd"), ("batch_d", "d")):
        if ours in engine and theirs in batch and engine[ours] != batch[theirs]:
            notes.append(f"batch shape differs: engine {ours}={engine[ours]}, faiss {theirs}={batch[theirs]}")
    return notes


def fmt(value) -> str:
    if value is None:
        return "absent"
    return f"{value:.4g}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", required=True, help="JSON written by speed.py")
    parser.add_argument("--engine", required=True, help="JSON written by the engine's benchmark")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)
    peers, engine = load(args.peers), load(args.engine)
    rows = comparisons(peers, engine)
    notes = warnings(peers, engine)

    width = max(len(r["metric"]) for r in rows) + 2
    peer_width = max(len(r["peer"]) for r in rows) + 2
    print(f"{'metric':<{width}}{'peer':<{peer_width}}{'engine':>11}{'peer':>11}{'advantage':>11}")
    for r in rows:
        advantage = "absent" if r["advantage"] is None else f"{r['advantage']:.2f}x"
        print(f"{r['metric']:<{width}}{r['peer']:<{peer_width}}{fmt(r['engine']):>11}"
              f"{fmt(r['peer_value']):>11}{advantage:>11}")
    print("advantage > 1: the engine is better; < 1: the peer is.")
    for note in notes:
        print(f"note: {note}")
    text = json.dumps({"comparisons": rows, "notes": notes}, sort_keys=True, indent=1)
    print(text)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
