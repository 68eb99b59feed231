#!/usr/bin/env bash
# The main job on the bundled corpus: build, index the development set, show ranked pairs with
# their reasons in both directions, explain one pair, and score the rankings against the qrels.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release 2>&1 | tail -n 1
bin=.build/release/shuoguo
dev=Corpus/dev
out=.build/run
mkdir -p "$out"
"$bin" index --achievements "$dev/achievements.jsonl" --needs "$dev/needs.jsonl" --out "$out/dev.sgm"
echo "== need → achievements (first 3 needs, top 5) =="
"$bin" match --model "$out/dev.sgm" --top 5 --query N0001 --query N0002 --query N0003
echo "== achievement → needs (first 2 achievements, top 5) =="
"$bin" match --model "$out/dev.sgm" --direction achievement-to-need --top 5 --query A0001 --query A0002
first=$("$bin" match --model "$out/dev.sgm" --top 1 --query N0001 --format trec | awk '{print $3}')
echo "== why N0001 ↔ $first =="
"$bin" explain --model "$out/dev.sgm" --need N0001 --achievement "$first"
"$bin" match --model "$out/dev.sgm" --top 100 --format trec > "$out/need-to-achievement.run"
"$bin" match --model "$out/dev.sgm" --direction achievement-to-need --top 100 --format trec > "$out/achievement-to-need.run"
echo "== quality, need → achievement (TREC run in $out) =="
"$bin" eval --qrels "$dev/qrels-need.txt" --run "$out/need-to-achievement.run" --model "$out/dev.sgm"
echo "== quality, achievement → need =="
"$bin" eval --qrels "$dev/qrels-achievement.txt" --run "$out/achievement-to-need.run" --model "$out/dev.sgm"
