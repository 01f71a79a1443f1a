#!/usr/bin/env bash
# Whether training on a device is reproducible: two uninterrupted pretraining runs of UPDATES updates (same seed), a
# run killed (SIGKILL) once its first checkpoint is written and continued with --resume, and 2 ranks under mpirun with
# --check-replicas (every update compares a hash of both ranks' weights and optimizer state; the job stops at the first
# difference). Prints one JSON line: whether the final weights are bitwise equal and, where not, the largest difference.
#   bench/check_resume_replicas.sh W2V DATA.tsv [UPDATES=200]
# W2V and the environment as for bench/run_gpu_ranks.sh; DEVICE=cpu runs it on the CPU.
set -euo pipefail
w2v=${1:?usage: check_resume_replicas.sh W2V DATA.tsv [UPDATES]}
data=${2:?usage: check_resume_replicas.sh W2V DATA.tsv [UPDATES]}
updates=${3:-200}
every=10 # checkpoints
device=${DEVICE:-cuda}
tokens=${CHECK_TOKENS:-256000} # one process; each of the 2 ranks takes half
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(pretrain --data "$data" --preset small --lr 5e-4 --warmup 5 --device "$device" --threads 1 --seed 3
  --save-every "$every")

step() { # name command...
  local name=$1; shift
  "$@" >>"$work/$name.log" 2>&1 || { echo "error: $name failed:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
  [ -z "${LOGS:-}" ] || { echo "== $name: $*"; cat "$work/$name.log"; } >>"$LOGS/resume-replicas.log"
  : >"$work/$name.log"
}
step first "$w2v" "${common[@]}" --out "$work/first" --max-tokens "$tokens" --max-updates "$updates"
step second "$w2v" "${common[@]}" --out "$work/second" --max-tokens "$tokens" --max-updates "$updates"
# The kill lands at whatever update the run has reached once its first checkpoint exists.
"$w2v" "${common[@]}" --out "$work/resumed" --max-tokens "$tokens" --max-updates "$updates" >"$work/killed.log" 2>&1 &
killed=$!
until [ -f "$work/resumed/checkpoints/latest.json" ] || ! kill -0 "$killed" 2>/dev/null; do sleep 0.05; done
kill -9 "$killed" 2>/dev/null || { echo "error: the run to be killed ended first:" >&2; tail -20 "$work/killed.log" >&2; exit 1; }
wait "$killed" 2>/dev/null || true
[ -z "${LOGS:-}" ] || { echo "== killed (SIGKILL once checkpoints/latest.json existed)"; cat "$work/killed.log"; } >>"$LOGS/resume-replicas.log"
killed_at=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["updates"])' "$work/resumed/checkpoints/latest.json")
step resumed "$w2v" "${common[@]}" --out "$work/resumed" --max-tokens "$tokens" --max-updates "$updates" --resume
step replicas mpirun --allow-run-as-root --oversubscribe --bind-to none -x LD_LIBRARY_PATH -np 2 \
  "$w2v" "${common[@]}" --out "$work/ranks" --max-updates "$updates" --max-tokens $((tokens / 2)) --check-replicas

python3 - "$work" "$device" "$updates" "$killed_at" <<'EOF'
import array, datetime, json, struct, sys
work, device, updates, killed_at = sys.argv[1:]

def tensors(run):  # safetensors: 8-byte header length, JSON header, then the data
    with open(f"{work}/{run}/model/model.safetensors", "rb") as f:
        blob = f.read()
    size = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + size])
    header.pop("__metadata__", None)
    start = 8 + size
    return {name: array.array("f", blob[start + t["data_offsets"][0]:start + t["data_offsets"][1]])
            for name, t in header.items() if t["dtype"] == "F32"}

def compare(a, b):
    x, y = tensors(a), tensors(b)
    assert x.keys() == y.keys(), f"{a} and {b} hold different weights"
    equal = all(x[k].tobytes() == y[k].tobytes() for k in x)
    largest = 0.0 if equal else max(abs(p - q) for k in x for p, q in zip(x[k], y[k]))
    return {"bitwise_equal": equal, "max_abs_difference": largest}

print(json.dumps({"impl": "Wav2Vec2Sharp", "bench": "resume-replicas", "device": device, "updates": int(updates),
    "date": datetime.date.today().isoformat(), "two_uninterrupted_runs": compare("first", "second"),
    "resumed_from_update": int(killed_at),
    "resumed_vs_uninterrupted": compare("first", "resumed"), "two_ranks_replicas_identical_every_update": True}))
EOF
