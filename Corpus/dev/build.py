#!/usr/bin/env python3
"""Assemble the development set from the topic files in Corpus/dev/topics/.

Reads every ``topics/<industry>.json`` (see Corpus/README.md for the format) and writes,
deterministically (fixed seed, sorted inputs):

  achievements.jsonl      the supply side, FORMATS.md achievement records
  needs.jsonl             the demand side, FORMATS.md need records
  qrels-need.txt          need -> achievement judgments (TREC qrels)
  qrels-achievement.txt   achievement -> need judgments (TREC qrels)
  pools.tsv               need id, pool key ("-" for a singleton), pool label
  topics.tsv              record id, kind, topic key, role/style, industry of the topic file

Grades: role solve = 3, fit = 2, partial = 1, negative = 0 (a judged hard negative). A topic's
``related`` topics contribute their ``solve`` achievements at grade 1 unless judged otherwise.
Usage: python3 Corpus/dev/build.py  (from anywhere).
"""
import json
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent
GRADES = {"solve": 3, "fit": 2, "partial": 1, "negative": 0}
ACHIEVEMENT_FIELDS = ["title", "summary", "application", "keywords", "institution", "category", "maturity",
                      "advancement", "transfer_modes", "willingness", "conversion_needs", "industry", "marine",
                      "region", "date"]
NEED_FIELDS = ["title", "description", "enterprise", "enterprise_size", "channel", "problem_type", "industry",
               "marine", "region", "budget_wan", "expected_modes", "min_maturity", "date"]


def main() -> None:
    topics = []
    for path in sorted((HERE / "topics").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for topic in document["topics"]:
            topics.append((document["industry"], topic))

    achievements, needs = [], []
    for industry, topic in topics:
        for item in topic.get("achievements", []):
            achievements.append((industry, topic, item))
        for item in topic.get("needs", []):
            needs.append((industry, topic, item))

    rng = random.Random(20251122)
    rng.shuffle(achievements)
    rng.shuffle(needs)

    achievement_ids, need_ids = {}, {}
    by_topic_achievements, by_topic_needs = {}, {}
    rows = []
    with open(HERE / "achievements.jsonl", "w", encoding="utf-8") as out:
        for number, (industry, topic, item) in enumerate(achievements, start=1):
            record_id = f"A{number:04d}"
            achievement_ids[id(item)] = record_id
            by_topic_achievements.setdefault(topic["key"], []).append((record_id, item.get("role", "background")))
            record = {"id": record_id}
            record.update({key: item[key] for key in ACHIEVEMENT_FIELDS if key in item})
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            rows.append((record_id, "achievement", topic["key"], item.get("role", "background"), industry))
    with open(HERE / "needs.jsonl", "w", encoding="utf-8") as out:
        for number, (industry, topic, item) in enumerate(needs, start=1):
            record_id = f"N{number:04d}"
            need_ids[id(item)] = record_id
            by_topic_needs.setdefault(topic["key"], []).append(record_id)
            record = {"id": record_id}
            record.update({key: item[key] for key in NEED_FIELDS if key in item})
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            rows.append((record_id, "need", topic["key"], item.get("style", "-"), industry))

    judgments = {}  # (need, achievement) -> grade
    for _, topic in topics:
        key = topic["key"]
        for need in by_topic_needs.get(key, []):
            for achievement, role in by_topic_achievements.get(key, []):
                if role in GRADES:
                    judgments[(need, achievement)] = GRADES[role]
    for _, topic in topics:
        for related in topic.get("related", []):
            for need in by_topic_needs.get(topic["key"], []):
                for achievement, role in by_topic_achievements.get(related, []):
                    if role == "solve":
                        judgments.setdefault((need, achievement), 1)

    with open(HERE / "qrels-need.txt", "w", encoding="utf-8") as out:
        for (need, achievement), grade in sorted(judgments.items()):
            out.write(f"{need} 0 {achievement} {grade}\n")
    # An achievement with no relevant need (a planted hard negative) has nothing to find when
    # it is the query; such queries would only add zeros to every system's mean, so they are left out.
    answerable = {achievement for (need, achievement), grade in judgments.items() if grade > 0}
    with open(HERE / "qrels-achievement.txt", "w", encoding="utf-8") as out:
        for (need, achievement), grade in sorted(judgments.items(), key=lambda pair: (pair[0][1], pair[0][0])):
            if achievement in answerable:
                out.write(f"{achievement} 0 {need} {grade}\n")
    with open(HERE / "pools.tsv", "w", encoding="utf-8") as out:
        out.write("need\tpool\tlabel\n")
        for _, topic in topics:
            members = by_topic_needs.get(topic["key"], [])
            for need in sorted(members):
                if topic.get("pool") and len(members) >= 2:
                    out.write(f"{need}\t{topic['key']}\t{topic['pool']}\n")
                else:
                    out.write(f"{need}\t-\t-\n")
    with open(HERE / "topics.tsv", "w", encoding="utf-8") as out:
        out.write("id\tkind\ttopic\trole\tindustry\n")
        for row in sorted(rows):
            out.write("\t".join(row) + "\n")
    print(f"{len(achievements)} achievements, {len(needs)} needs, {len(judgments)} judgments, {len(topics)} topics")


if __name__ == "__main__":
    main()
