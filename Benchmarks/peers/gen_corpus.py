#!/usr/bin/env python3
"""Synthetic achievements and needs with latent topic structure.

Every document is a sequence of real dictionary words drawn from a topic
mixture, so that TF-IDF and LSA see the kind of co-occurrence structure a real
collection has, while size and seed are under our control.

Model
-----
* Vocabulary: nouns and verbs of 2-4 Han characters from jieba's dictionary
  (POS n, nz, v, vn), in file order, de-duplicated.
* Background: the most frequent ``--background`` words, weighted by a Zipf law
  over their frequency rank. Every document draws a share of its words here.
* Industries: 11 pools (the "10+1" codes), each a random set of 300 words.
* Topics: ``--topics`` topics, each bound to one industry. A topic holds 250
  words drawn from the whole vocabulary (weighted by jieba frequency ** 0.5)
  plus 50 words of its industry pool, shuffled and then weighted by a Zipf law
  over rank (exponent 0.8), and two Latin abbreviations from a fixed list.
* Achievement: one main topic, a second topic with probability 0.5 (from the
  same industry with probability 0.6). Title: 3-6 main-topic words and a head
  noun. Summary: clauses of background/main/second words with mixing weights
  0.25/0.55/0.20 (0.25/0.75 without a second topic), occasional abbreviations
  of the topics and numbers with units, until title + summary reach a length
  drawn uniformly from 150-300 characters.
* Need: the same generator, shorter (40-150 characters), a second topic with
  probability 0.3, and a heavier background share (0.35).

Outputs are byte-identical for the same arguments (numpy PCG64 seeded by
``--seed``; queries use a stream derived from the same seed). Record i depends
on ``--n``: take the first lines of a large file rather than regenerating a
smaller one when sizes must nest.

The tokens files hold, per line, the generating word sequence of one record
(title words then body words, numbers and units as separate tokens,
punctuation left out) joined by single spaces.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

DEFAULT_DICT = "/usr/lib/python3/dist-packages/jieba/dict.txt"

INDUSTRIES = ["it", "ai", "health", "nev", "lowalt", "energy", "equip",
              "appliance", "chem", "light", "future"]

CONTENT_POS = {"n", "nz", "v", "vn"}

# Latin abbreviations that appear in Chinese technical writing.
ABBREVIATIONS = [
    "AI", "IoT", "5G", "6G", "PLC", "CNC", "GNSS", "LiDAR", "RFID", "FPGA",
    "GPU", "CPU", "SoC", "MEMS", "IGBT", "SiC", "GaN", "OLED", "LED", "PCB",
    "BIM", "CFD", "FEM", "CAD", "ERP", "MES", "SCADA", "AGV", "UAV", "eVTOL",
    "AUV", "ROV", "USV", "LNG", "CCUS", "PEM", "SOFC", "BMS", "V2X", "ADAS",
    "PCR", "CRISPR", "mRNA", "CAR-T", "NGS", "MRI", "CT", "PET", "ELISA",
    "HPLC", "GMP", "API", "MOF", "COF", "CNT", "PVDF", "PEEK", "TPU", "PLA",
    "PBAT", "UHMWPE", "SLAM", "NLP", "OCR", "LLM", "CV", "VR", "AR", "XR",
    "SAR", "InSAR", "DTU", "PUE", "HVDC", "SVG", "PV", "TOPCon", "HJT", "DCS",
]

UNITS = ["kW", "MW", "kV", "MPa", "GPa", "nm", "μm", "mm", "km", "GHz", "MHz",
         "mAh", "Wh/kg", "kg", "t", "m³/h", "℃", "%", "dB", "ppm", "L/min",
         "rpm", "h", "ms"]

ACHIEVEMENT_HEADS = ["技术", "系统", "装置", "方法", "工艺", "材料", "平台",
                     "设备", "模块", "研究", "开发", "应用"]
NEED_HEADS = ["技术", "方案", "设备", "工艺", "系统", "材料"]
NEED_LEADS = ["寻求", "征集", "需要", "解决", "提升"]

TOPIC_WORDS = 300
TOPIC_OWN_WORDS = 250
INDUSTRY_POOL = 300


def load_vocabulary(path: str) -> tuple[list[str], np.ndarray]:
    """Return (words, frequencies) of 2-4 character Han nouns/verbs."""
    words: list[str] = []
    freqs: list[int] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) != 3 or parts[2] not in CONTENT_POS:
                continue
            word = parts[0]
            if not 2 <= len(word) <= 4 or word in seen:
                continue
            if not all("\u4e00" <= ch <= "\u9fff" for ch in word):
                continue
            seen.add(word)
            words.append(word)
            freqs.append(int(parts[1]))
    return words, np.asarray(freqs, dtype=np.float64)


def zipf_cdf(size: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1, dtype=np.float64) ** exponent
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


class TopicModel:
    """The latent structure shared by achievements and needs."""

    def __init__(self, words: list[str], freqs: np.ndarray, topics: int,
                 background: int, seed: int) -> None:
        rng = np.random.Generator(np.random.PCG64(seed))
        self.words = words
        n_words = len(words)
        by_freq = np.argsort(-freqs, kind="stable")
        self.background_words = by_freq[:background]
        self.background_cdf = zipf_cdf(background, 1.0)

        content = by_freq[background:]
        weight = freqs[content] ** 0.5
        weight /= weight.sum()
        pools = np.stack([rng.choice(content, INDUSTRY_POOL, replace=False, p=weight)
                          for _ in INDUSTRIES])
        self.topic_industry = rng.integers(0, len(INDUSTRIES), size=topics)
        table = np.empty((topics, TOPIC_WORDS), dtype=np.int64)
        for t in range(topics):
            own = rng.choice(content, TOPIC_OWN_WORDS, replace=False, p=weight)
            shared = rng.choice(pools[self.topic_industry[t]],
                                TOPIC_WORDS - TOPIC_OWN_WORDS, replace=False)
            row = np.concatenate([own, shared])
            rng.shuffle(row)
            table[t] = row
        self.topic_words = table
        self.topic_cdf = zipf_cdf(TOPIC_WORDS, 0.8)
        self.topic_abbreviations = rng.integers(0, len(ABBREVIATIONS), size=(topics, 2))
        self.industry_topics = [np.flatnonzero(self.topic_industry == i)
                                for i in range(len(INDUSTRIES))]
        self.word_length = np.fromiter((len(w) for w in words), dtype=np.int64, count=n_words)
        self.topics = topics


# Special token ids (negative) used while assembling text.
ABBREV = -1
NUMBER = -2


def draw_topics(model: TopicModel, rng: np.random.Generator, n: int,
                second_prob: float) -> tuple[np.ndarray, np.ndarray]:
    """Main topic per record, and second topic (-1 for none)."""
    main = rng.integers(0, model.topics, size=n)
    has_second = rng.random(n) < second_prob
    same_industry = rng.random(n) < 0.6
    second = np.full(n, -1, dtype=np.int64)
    anywhere = rng.integers(0, model.topics, size=n)
    pick = rng.random(n)
    for i in np.flatnonzero(has_second):
        if same_industry[i]:
            pool = model.industry_topics[model.topic_industry[main[i]]]
            candidate = pool[int(pick[i] * len(pool))]
        else:
            candidate = anywhere[i]
        if candidate != main[i]:
            second[i] = candidate
    return main, second


def body_tokens(model: TopicModel, rng: np.random.Generator, main: np.ndarray,
                second: np.ndarray, char_budget: np.ndarray, background_share: float,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised draw of body words.

    Returns (offsets, token ids, topic of each token), where the tokens of
    record i are ids[offsets[i]:offsets[i+1]]. Ids >= 0 index the vocabulary;
    ABBREV and NUMBER mark slots filled later.
    """
    n = len(main)
    over = (char_budget // 2 + 6).astype(np.int64)
    doc = np.repeat(np.arange(n), over)
    m = len(doc)
    u = rng.random(m)
    second_share = np.where(second[doc] >= 0, 0.20, 0.0)
    is_background = u < background_share
    is_second = (~is_background) & (u >= 1.0 - second_share)
    topic = np.where(is_second, second[doc], main[doc])
    rank = np.searchsorted(model.topic_cdf, rng.random(m), side="right")
    brank = np.searchsorted(model.background_cdf, rng.random(m), side="right")
    ids = np.where(is_background, model.background_words[brank],
                   model.topic_words[topic, rank])
    special = rng.random(m)
    ids = np.where(special < 0.025, ABBREV, ids)
    ids = np.where((special >= 0.025) & (special < 0.045), NUMBER, ids)

    length = np.where(ids >= 0, model.word_length[np.maximum(ids, 0)],
                      np.where(ids == ABBREV, 3, 5))
    starts = np.concatenate([[0], np.cumsum(over)[:-1]])
    cum = np.cumsum(length)
    before = cum - length - np.repeat(cum[starts] - length[starts], over)
    keep = before < char_budget[doc]
    ids, topic, doc = ids[keep], topic[keep], doc[keep]
    counts = np.bincount(doc, minlength=n)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return offsets, ids, topic


def title_tokens(model: TopicModel, rng: np.random.Generator, main: np.ndarray,
                 low: int, high: int) -> list[np.ndarray]:
    n = len(main)
    counts = rng.integers(low, high + 1, size=n)
    ranks = np.searchsorted(model.topic_cdf, rng.random(int(counts.sum())), side="right")
    topic = np.repeat(main, counts)
    ids = model.topic_words[topic, ranks]
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return [ids[offsets[i]:offsets[i + 1]] for i in range(n)]


class Assembler:
    """Turns token id sequences into text and reference tokens."""

    def __init__(self, model: TopicModel, rng: np.random.Generator) -> None:
        self.model = model
        self.rng = rng
        self.words = model.words

    def body(self, ids: np.ndarray, topics: np.ndarray) -> tuple[str, list[str]]:
        rng = self.rng
        k = len(ids)
        breaks = rng.random(k)
        choice = rng.random(k)
        numbers = rng.random(k)
        units = rng.integers(0, len(UNITS), size=k)
        text: list[str] = []
        tokens: list[str] = []
        words = self.words
        abbreviations = self.model.topic_abbreviations
        since_break = 0
        for j in range(k):
            w = ids[j]
            if w >= 0:
                piece = words[w]
                tokens.append(piece)
            elif w == ABBREV:
                piece = ABBREVIATIONS[abbreviations[topics[j], int(choice[j] * 2)]]
                tokens.append(piece)
            else:
                x = numbers[j]
                if x < 0.5:
                    value = str(int(x * 2000) + 1)
                else:
                    value = f"{(x - 0.5) * 200:.1f}"
                unit = UNITS[units[j]]
                piece = value + unit
                tokens.append(value)
                tokens.append(unit)
            text.append(piece)
            since_break += 1
            if j == k - 1:
                text.append("。")
            elif since_break >= 4 and breaks[j] < 0.14:
                text.append("。" if choice[j] < 0.3 else "，")
                since_break = 0
        return "".join(text), tokens


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def make_achievements(model: TopicModel, n: int, seed: int):
    rng = np.random.Generator(np.random.PCG64([seed, 1]))
    main, second = draw_topics(model, rng, n, 0.5)
    titles = title_tokens(model, rng, main, 3, 6)
    heads = rng.integers(0, len(ACHIEVEMENT_HEADS), size=n)
    title_len = np.array([model.word_length[t].sum() + len(ACHIEVEMENT_HEADS[h])
                          for t, h in zip(titles, heads)])
    total = rng.integers(150, 301, size=n)
    budget = np.maximum(total - title_len, 20)
    offsets, ids, topics = body_tokens(model, rng, main, second, budget, 0.25)
    maturity = rng.integers(1, 6, size=n)
    advancement = rng.integers(1, 6, size=n)
    day = rng.integers(0, 3 * 365, size=n)
    assembler = Assembler(model, rng)
    for i in range(n):
        title_words = [model.words[w] for w in titles[i]] + [ACHIEVEMENT_HEADS[heads[i]]]
        lo, hi = offsets[i], offsets[i + 1]
        summary, tokens = assembler.body(ids[lo:hi], topics[lo:hi])
        industry = [INDUSTRIES[model.topic_industry[main[i]]]]
        if second[i] >= 0:
            extra = INDUSTRIES[model.topic_industry[second[i]]]
            if extra != industry[0]:
                industry.append(extra)
        record = {
            "id": f"B{i + 1:07d}",
            "title": "".join(title_words),
            "summary": summary,
            "industry": industry,
            "maturity": int(maturity[i]),
            "advancement": int(advancement[i]),
            "date": str(np.datetime64("2023-01-01") + int(day[i])),
        }
        yield record, title_words + tokens, int(main[i]), int(second[i])


def make_needs(model: TopicModel, n: int, seed: int):
    rng = np.random.Generator(np.random.PCG64([seed, 2]))
    main, second = draw_topics(model, rng, n, 0.3)
    titles = title_tokens(model, rng, main, 1, 3)
    leads = rng.integers(0, len(NEED_LEADS), size=n)
    heads = rng.integers(0, len(NEED_HEADS), size=n)
    title_len = np.array([model.word_length[t].sum() + 4 for t in titles])
    total = rng.integers(40, 151, size=n)
    budget = np.maximum(total - title_len, 10)
    offsets, ids, topics = body_tokens(model, rng, main, second, budget, 0.35)
    sizes = rng.random(n)
    day = rng.integers(0, 3 * 365, size=n)
    assembler = Assembler(model, rng)
    for i in range(n):
        title_words = ([NEED_LEADS[leads[i]]] + [model.words[w] for w in titles[i]]
                       + [NEED_HEADS[heads[i]]])
        lo, hi = offsets[i], offsets[i + 1]
        description, tokens = assembler.body(ids[lo:hi], topics[lo:hi])
        record = {
            "id": f"Q{i + 1:07d}",
            "title": "".join(title_words),
            "description": description,
            "industry": [INDUSTRIES[model.topic_industry[main[i]]]],
            "enterprise_size": "large" if sizes[i] < 0.2 else "sme",
            "date": str(np.datetime64("2023-01-01") + int(day[i])),
        }
        yield record, title_words + tokens, int(main[i]), int(second[i])


def write_records(records, out: str, tokens_out: str | None):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    topics: list[tuple[str, int, int]] = []
    chars = 0
    count = 0
    token_handle = open(tokens_out, "w", encoding="utf-8") if tokens_out else None
    try:
        with open(out, "w", encoding="utf-8") as handle:
            for record, tokens, main, second in records:
                handle.write(dumps(record))
                handle.write("\n")
                if token_handle is not None:
                    token_handle.write(" ".join(tokens))
                    token_handle.write("\n")
                topics.append((record["id"], main, second))
                chars += len(record["title"]) + len(record.get("summary", record.get("description", "")))
                count += 1
    finally:
        if token_handle is not None:
            token_handle.close()
    return topics, chars, count


def write_qrels(path: str, queries, docs) -> int:
    """Grade 2: same main topic; grade 1: a main topic equals the other's second."""
    by_main: dict[int, list[str]] = {}
    by_second: dict[int, list[str]] = {}
    for doc_id, main, second in docs:
        by_main.setdefault(main, []).append(doc_id)
        if second >= 0:
            by_second.setdefault(second, []).append(doc_id)
    lines = 0
    with open(path, "w", encoding="utf-8") as handle:
        for qid, main, second in queries:
            grades: dict[str, int] = {}
            for doc_id in by_second.get(main, []):
                grades[doc_id] = 1
            if second >= 0:
                for doc_id in by_main.get(second, []):
                    grades[doc_id] = 1
            for doc_id in by_main.get(main, []):
                grades[doc_id] = 2
            for doc_id in sorted(grades):
                handle.write(f"{qid} 0 {doc_id} {grades[doc_id]}\n")
                lines += 1
    return lines


def resolve_dictionary(path: str) -> str:
    if os.path.exists(path):
        return path
    try:
        import jieba  # the PyPI package ships the same dict.txt
    except ImportError:
        sys.exit(f"gen_corpus: dictionary {path} not found and jieba is not installed")
    bundled = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    if not os.path.exists(bundled):
        sys.exit(f"gen_corpus: dictionary {path} not found")
    return bundled


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of achievements")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True, help="achievements JSONL")
    parser.add_argument("--tokens-out", help="reference tokens of the achievements")
    parser.add_argument("--queries", type=int, default=0, help="number of needs to write")
    parser.add_argument("--queries-out", help="needs JSONL (default: <out stem>-queries.jsonl)")
    parser.add_argument("--queries-tokens-out", help="reference tokens of the needs")
    parser.add_argument("--qrels-out", help="need -> achievement qrels from the topics")
    parser.add_argument("--qrels-reverse-out", help="achievement -> need qrels from the topics")
    parser.add_argument("--topics", type=int, default=500)
    parser.add_argument("--background", type=int, default=2000,
                        help="size of the shared background vocabulary")
    parser.add_argument("--dict", default=DEFAULT_DICT, help="jieba dict.txt")
    args = parser.parse_args(argv)
    if args.n < 1 or args.queries < 0:
        parser.error("--n must be positive and --queries non-negative")
    if (args.qrels_out or args.qrels_reverse_out) and args.queries == 0:
        parser.error("qrels need --queries > 0")

    started = time.perf_counter()
    words, freqs = load_vocabulary(resolve_dictionary(args.dict))
    model = TopicModel(words, freqs, args.topics, args.background, args.seed)
    doc_topics, chars, count = write_records(
        make_achievements(model, args.n, args.seed), args.out, args.tokens_out)
    report = {"achievements": count, "mean_chars": round(chars / count, 1),
              "vocabulary": len(words)}
    if args.queries:
        queries_out = args.queries_out
        if not queries_out:
            stem = args.out[:-6] if args.out.endswith(".jsonl") else args.out
            queries_out = stem + "-queries.jsonl"
        query_topics, qchars, qcount = write_records(
            make_needs(model, args.queries, args.seed), queries_out, args.queries_tokens_out)
        report.update({"needs": qcount, "needs_mean_chars": round(qchars / qcount, 1)})
        if args.qrels_out:
            report["qrels"] = write_qrels(args.qrels_out, query_topics, doc_topics)
        if args.qrels_reverse_out:
            report["qrels_reverse"] = write_qrels(args.qrels_reverse_out, doc_topics, query_topics)
    report["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(report, sort_keys=True), file=sys.stderr)


if __name__ == "__main__":
    main()
