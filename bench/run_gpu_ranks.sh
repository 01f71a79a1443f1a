#!/usr/bin/env bash
# Pretraining throughput on one GPU: one process with 128 s batches, then 2 ranks sharing the GPU (mpirun -np 2,
# --device cuda: both ranks on cuda:0) with 64 s batches each, the same global batch, gradients overlapped and then
# reduced after the backward pass. Each run makes UPDATES updates of the small preset; the figure is the median
# audio-s/s of the job over the training lines after the first 10 updates. One JSON line per run on stdout.
#   bench/run_gpu_ranks.sh W2V DATA.tsv [UPDATES=60]
# W2V is a `w2v` published with -p:W2vLibTorch=external and LD_LIBRARY_PATH naming a CUDA libtorch's lib/ folder
# (README, "Training on a GPU"); mpirun and libmpi.so.40 (Open MPI 4) must be on the PATH and library path.
# DEVICE=cpu TOKENS=64000 makes the same three runs on the CPU with 4 s per rank (a dry run of the script).
# LOGS=<folder> keeps each run's output (runs.log) and training lines (metrics.jsonl, each with its run's name) there.
set -euo pipefail
w2v=${1:?usage: run_gpu_ranks.sh W2V DATA.tsv [UPDATES]}
data=${2:?usage: run_gpu_ranks.sh W2V DATA.tsv [UPDATES]}
updates=${3:-60}
command -v mpirun >/dev/null || { echo "error: mpirun is not on the PATH (Open MPI 4: openmpi-bin)" >&2; exit 1; }
device=${DEVICE:-cuda}
tokens=${TOKENS:-1024000} # per rank; one process gets twice as many
if [ "$device" = cpu ]; then
  gpu=none
else
  command -v nvidia-smi >/dev/null || { echo "error: no nvidia-smi: this script measures a GPU (DEVICE=cpu for a dry run)" >&2; exit 1; }
  gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpi=(mpirun --allow-run-as-root --oversubscribe --bind-to none -x LD_LIBRARY_PATH)
common=(pretrain --data "$data" --preset small --max-updates "$updates" --lr 5e-4 --warmup 10 --device "$device" --threads 1 --seed 1)

keep() { # name
  [ -z "${LOGS:-}" ] && return
  { echo "== $1"; cat "$work/$1.log"; } >>"$LOGS/runs.log"
  [ ! -f "$work/$1/metrics.jsonl" ] || sed "s/^{/{\"run\":\"$1\",/" "$work/$1/metrics.jsonl" >>"$LOGS/metrics.jsonl"
}

run() { # name ranks max-tokens [extra flags]
  local name=$1 ranks=$2 tokens=$3; shift 3
  local start=$SECONDS
  if [ "$ranks" = 1 ]; then
    "$w2v" "${common[@]}" --out "$work/$name" --max-tokens "$tokens" "$@" >"$work/$name.log" 2>&1
  else
    "${mpi[@]}" -np "$ranks" "$w2v" "${common[@]}" --out "$work/$name" --max-tokens "$tokens" "$@" >"$work/$name.log" 2>&1
  fi || { echo "error: run $name failed:" >&2; tail -20 "$work/$name.log" >&2; keep "$name"; exit 1; }
  keep "$name"
  python3 - "$work/$name/metrics.jsonl" "$name" "$ranks" "$tokens" "$((SECONDS - start))" "$gpu" <<'EOF'
import json, statistics, sys, datetime
path, name, ranks, tokens, wall, gpu = sys.argv[1:]
lines = [json.loads(l) for l in open(path) if '"train"' in l]
late = [l for l in lines if l["update"] > 10] or lines
rates = [l["audio_seconds_per_second"] for l in late]
print(json.dumps({"impl": "Wav2Vec2Sharp", "bench": "gpu-ranks", "run": name, "world_size": int(ranks), "gpu": gpu,
    "date": datetime.date.today().isoformat(), "max_tokens_per_rank": int(tokens), "updates": lines[-1]["update"],
    "audio_s_per_s_median": statistics.median(rates), "audio_s_per_s_min": min(rates), "audio_s_per_s_max": max(rates),
    "allreduce_s_median": statistics.median([l.get("allreduce_seconds", 0) for l in late]),
    "allreduce_wait_s_median": statistics.median([l.get("allreduce_wait_seconds", 0) for l in late]), "wall_s": int(wall)}))
EOF
}

run one-process 1 $((2 * tokens))
run two-ranks-overlapped 2 "$tokens" --overlap on
run two-ranks-after-backward 2 "$tokens" --overlap off
