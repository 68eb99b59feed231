#!/usr/bin/env python3
"""Two quality experiments on the development set, run through the real `shuoguo` binary.

1. Small market. The topics of Corpus/dev are split in two halves (by a stable hash of the
   topic key). Half A plays a small city market (a few hundred listings); it is indexed
   (a) alone and (b) with the bundled corpus as background — which, since the market's own
   texts are left out of the background, is exactly half B: other industries' listings that
   share no topic with the market. Both rankings are scored on half A's judgments.
2. Off-topic pool. N synthetic achievements of unrelated text (Benchmarks/peers/gen_corpus.py,
   word salad drawn from jieba's dictionary) are added to the full development set's
   achievements; need → achievement quality is scored before and after. Unjudged documents
   count as not relevant, so every distractor that climbs into the top 10 costs nDCG.

Usage: Benchmarks/quality/robustness.py [--bin .build/release/shuoguo] [--distractors 5000]
Prints a table and writes Benchmarks/.data/results/robustness.json.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEV = os.path.join(ROOT, "Corpus", "dev")


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def evaluate(binary, qrels, args, direction="need-to-achievement"):
    out = run([binary, "eval", "--qrels", qrels, "--direction", direction, "--format", "json"] + args)
    row = json.loads(out)["all"]
    return {"nDCG@10": round(row["nDCG@10"], 4), "MAP": round(row["MAP"], 4), "R@100": round(row["R@100"], 4)}


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "shuoguo"))
    parser.add_argument("--distractors", type=int, default=5000)
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="shuoguo-robustness-")
    results = {}

    topic_of = {}
    for line in open(os.path.join(DEV, "topics.tsv"), encoding="utf-8").read().splitlines()[1:]:
        record, _, topic, _, _ = line.split("\t")
        topic_of[record] = topic
    in_half_a = lambda record: int(hashlib.sha1(topic_of[record].encode()).hexdigest(), 16) % 2 == 0

    # 1. Small market
    for kind in ("achievements", "needs"):
        lines = open(os.path.join(DEV, f"{kind}.jsonl"), encoding="utf-8").readlines()
        write_lines(os.path.join(work, f"market-{kind}.jsonl"), [l for l in lines if in_half_a(json.loads(l)["id"])])
    for name, first in (("need", 0), ("achievement", 0)):
        lines = open(os.path.join(DEV, f"qrels-{name}.txt")).readlines()
        write_lines(os.path.join(work, f"market-qrels-{name}.txt"), [l for l in lines if in_half_a(l.split()[0])])
    market = ["--achievements", os.path.join(work, "market-achievements.jsonl"), "--needs", os.path.join(work, "market-needs.jsonl")]
    size = sum(1 for _ in open(os.path.join(work, "market-achievements.jsonl"))) + sum(1 for _ in open(os.path.join(work, "market-needs.jsonl")))
    results["small_market"] = {"documents": size}
    for label, extra in (("alone", ["--no-background"]), ("with_background", [])):
        results["small_market"][label] = {
            "need_to_achievement": evaluate(options.bin, os.path.join(work, "market-qrels-need.txt"), market + extra),
            "achievement_to_need": evaluate(options.bin, os.path.join(work, "market-qrels-achievement.txt"), market + extra, "achievement-to-need"),
        }

    # 2. Off-topic pool
    gen = os.path.join(ROOT, "Benchmarks", "peers", "gen_corpus.py")
    salad = os.path.join(work, "offtopic.jsonl")
    python = os.path.join(ROOT, "Benchmarks", ".venv", "bin", "python")
    run([python if os.path.exists(python) else sys.executable, gen, "--n", str(options.distractors), "--seed", "11", "--out", salad,
         "--tokens-out", os.path.join(work, "offtopic.tokens.txt")])
    mixed = os.path.join(work, "mixed-achievements.jsonl")
    write_lines(mixed, open(os.path.join(DEV, "achievements.jsonl"), encoding="utf-8").readlines() + open(salad, encoding="utf-8").readlines())
    needs = os.path.join(DEV, "needs.jsonl")
    qrels = os.path.join(DEV, "qrels-need.txt")
    results["off_topic"] = {
        "distractors": options.distractors,
        "dev_only": evaluate(options.bin, qrels, ["--achievements", os.path.join(DEV, "achievements.jsonl"), "--needs", needs]),
        "with_distractors": evaluate(options.bin, qrels, ["--achievements", mixed, "--needs", needs]),
    }

    os.makedirs(os.path.join(ROOT, "Benchmarks", ".data", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "Benchmarks", ".data", "results", "robustness.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    sm = results["small_market"]
    print(f"small market ({sm['documents']} documents)          nDCG@10 n→a   nDCG@10 a→n")
    for label in ("alone", "with_background"):
        print(f"  {label:<32} {sm[label]['need_to_achievement']['nDCG@10']:>10}   {sm[label]['achievement_to_need']['nDCG@10']:>10}")
    ot = results["off_topic"]
    print(f"off-topic pool (+{ot['distractors']} unrelated achievements)   nDCG@10 n→a   R@100")
    for label in ("dev_only", "with_distractors"):
        print(f"  {label:<32} {ot[label]['nDCG@10']:>10}   {ot[label]['R@100']:>6}")


if __name__ == "__main__":
    main()
