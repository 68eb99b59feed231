#!/usr/bin/env bash
# Runs the peer benchmarks and, when an engine benchmark executable is there,
# the engine on the same data and thread count, then prints engine/peer ratios.
# See Benchmarks/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: Benchmarks/peers/run.sh [options]
  --threads N            threads for every library and for the engine (default 1)
  --sizes LIST           index sizes, comma separated (default 10000,100000)
  --ks LIST              LSA dimensions (default 128,256)
  --queries N            synthetic needs to generate (default 10000)
  --seed N               corpus seed (default 7)
  --tokenize-mb X        MiB of title+summary text to tokenize (default 20)
  --engine-bench PATH    engine benchmark executable (default: the first of
                         Benchmarks/.build/release/shuoguo-bench and .build/release/shuoguo-bench
                         that exists)
  --engine-arg ARG       one more argument for the engine benchmark (repeatable), e.g.
                         --engine-arg --power-iterations=5
  --engine-run FILE      an engine TREC run to score beside the baselines (repeatable;
                         prefix need: or achievement: to name the direction)
  --dev DIR              development set directory (default Corpus/dev)
  --skip-speed | --skip-baselines | --skip-engine
  -h, --help
Outputs go to Benchmarks/.data/results/.
EOF
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
threads=1
sizes="10000,100000"
ks="128,256"
queries=10000
seed=7
tokenize_mb=20
engine=""
dev="$root/Corpus/dev"
skip_speed=0
skip_baselines=0
skip_engine=0
engine_runs=()
engine_args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --ks) ks="$2"; shift 2 ;;
    --queries) queries="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --tokenize-mb) tokenize_mb="$2"; shift 2 ;;
    --engine-bench) engine="$2"; shift 2 ;;
    --engine-run) engine_runs+=("--run" "$2"); shift 2 ;;
    --engine-arg) engine_args+=("$2"); shift 2 ;;
    --dev) dev="$2"; shift 2 ;;
    --skip-speed) skip_speed=1; shift ;;
    --skip-baselines) skip_baselines=1; shift ;;
    --skip-engine) skip_engine=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$threads" in ''|*[!0-9]*|0) echo "run.sh: --threads must be a positive integer" >&2; exit 2 ;; esac
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
export VECLIB_MAXIMUM_THREADS="$threads" NUMEXPR_NUM_THREADS="$threads"
export PYTHONHASHSEED=0

venv="$root/Benchmarks/.venv"
data="$root/Benchmarks/.data"
results="$data/results"
mkdir -p "$data" "$results"

# --- Python environment: created once, reinstalled when requirements.txt changes.
requirements="$here/requirements.txt"
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv with $(python3 --version)"
  python3 -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "== installing $requirements"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r "$requirements"
  echo "$want" > "$stamp"
fi
py="$venv/bin/python"

# --- Data: the largest size once; smaller sizes read its first lines.
largest="$(echo "$sizes" | tr ',' '\n' | sort -n | tail -1)"
label() { if [ $(( $1 % 1000 )) -eq 0 ]; then echo "$(( $1 / 1000 ))k"; else echo "$1"; fi; }
corpus="$data/corpus-$(label "$largest")-s$seed.jsonl"
tokens="${corpus%.jsonl}.tokens.txt"
needs="$data/queries-$(label "$queries")-s$seed.jsonl"
needs_tokens="${needs%.jsonl}.tokens.txt"
if [ ! -s "$corpus" ] || [ ! -s "$tokens" ] || [ ! -s "$needs" ] || [ ! -s "$needs_tokens" ]; then
  echo "== generating $largest achievements and $queries needs (seed $seed)"
  "$py" "$here/gen_corpus.py" --n "$largest" --seed "$seed" --out "$corpus" --tokens-out "$tokens" \
    --queries "$queries" --queries-out "$needs" --queries-tokens-out "$needs_tokens"
fi

started=$(date +%s)
status=0
batch=$(( queries < 10000 ? queries : 10000 ))

if [ "$skip_speed" -eq 0 ]; then
  echo "== peers: speed (threads=$threads, sizes=$sizes, ks=$ks)"
  "$py" "$here/speed.py" --threads "$threads" --sizes "$sizes" --ks "$ks" --tokenize-mb "$tokenize_mb" \
    --batch-queries "$batch" \
    --corpus "$corpus" --tokens "$tokens" --queries-tokens "$needs_tokens" \
    --json-out "$results/peers-speed.json" > "$results/peers-speed.txt"
  sed '/^{/,$d' "$results/peers-speed.txt"
fi

if [ -z "$engine" ]; then
  for candidate in "$root/Benchmarks/.build/release/shuoguo-bench" "$root/.build/release/shuoguo-bench"; do
    if [ -x "$candidate" ]; then engine="$candidate"; break; fi
  done
fi
if [ "$skip_engine" -eq 0 ] && [ -n "$engine" ]; then
  if [ ! -x "$engine" ]; then
    echo "run.sh: engine benchmark $engine is not an executable file" >&2
    exit 2
  fi
  echo "== engine: $engine"
  rm -f "$results/engine-speed.json"
  if ! "$engine" --corpus "$corpus" --tokens "$tokens" --queries "$needs" --queries-tokens "$needs_tokens" \
      --threads "$threads" --sizes "$sizes" --ks "$ks" --tokenize-mb "$tokenize_mb" \
      --batch-queries "$batch" --json-out "$results/engine-speed.json" ${engine_args[@]+"${engine_args[@]}"} \
      > "$results/engine-speed.txt"; then
    echo "run.sh: the engine benchmark failed" >&2
    status=1
  elif [ -f "$results/peers-speed.json" ]; then
    if [ "$skip_speed" -eq 1 ]; then
      echo "== engine / peers (peers from an earlier run: $results/peers-speed.json)"
    else
      echo "== engine / peers"
    fi
    "$py" "$here/compare.py" --peers "$results/peers-speed.json" --engine "$results/engine-speed.json" \
      --json-out "$results/compare.json" | sed '/^{/,$d'
  fi
elif [ "$skip_engine" -eq 0 ]; then
  echo "== engine: no benchmark executable (give --engine-bench PATH); peers only"
fi

if [ "$skip_baselines" -eq 0 ]; then
  if [ -s "$dev/achievements.jsonl" ] && [ -s "$dev/needs.jsonl" ] \
     && [ -s "$dev/qrels-need.txt" ] && [ -s "$dev/qrels-achievement.txt" ]; then
    echo "== quality baselines on $dev"
    "$py" "$here/baselines.py" --threads "$threads" \
      --achievements "$dev/achievements.jsonl" --needs "$dev/needs.jsonl" \
      --qrels-need "$dev/qrels-need.txt" --qrels-achievement "$dev/qrels-achievement.txt" \
      --out-dir "$data/runs" --json-out "$results/baselines.json" ${engine_runs[@]+"${engine_runs[@]}"} \
      > "$results/baselines.txt"
    sed '/^{/,$d' "$results/baselines.txt"
  else
    echo "== quality baselines: skipped, no development set in $dev"
  fi
fi

echo "== done in $(( $(date +%s) - started ))s; results in $results"
exit "$status"
