#!/usr/bin/env bash
# Training speed beside the torchaudio peer, interleaved: for each round, in an order that rotates every round,
#   ours-train        our forward + backward of logits.sum() in train mode (base, 2 × 10 s), as the peer's train mode;
#   torchaudio-train  the same in torchaudio (../shared/peer/bench_torchaudio.py --mode train);
#   ours-pretrain     one real pretraining step of ours (span masks, 100 distractors, full loss, backward, AdamW) on
#                     2 × 16 s, small and base presets (torchaudio has no wav2vec 2.0 pretraining loss to compare).
# Random weights, --threads threads, a warm-up then 3 timed runs per measurement. One JSON line per measurement on
# stdout (collect with > bench/results/train-DATE.jsonl).
#   bench/run_train_interleaved.sh [rounds=3] [threads=2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-3}
threads=${2:-2}
peer="$here/../../shared/peer"
dotnet build -c Release "$here/Wav2Vec2Sharp.Bench" -v quiet -nologo >/dev/null
bench="$here/Wav2Vec2Sharp.Bench/bin/Release/net10.0/linux-x64/Wav2Vec2Sharp.Bench.dll"
python=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
"${python[@]}" -c "import torchaudio" 2>/dev/null || { echo "torchaudio peer missing: run $peer/setup.sh" >&2; exit 1; }

run() { # impl
  local timing=(--threads "$threads" --warmup 1 --repeats 3)
  case "$1" in
    ours-train) dotnet "$bench" --mode train --arch base --seconds 10 --batch 2 "${timing[@]}" ;;
    torchaudio-train) "${python[@]}" "$peer/bench_torchaudio.py" --mode train --arch base --seconds 10 --batch 2 "${timing[@]}" ;;
    ours-pretrain)
      dotnet "$bench" --mode pretrain --arch small --seconds 16 --batch 2 "${timing[@]}"
      dotnet "$bench" --mode pretrain --arch base --seconds 16 --batch 2 "${timing[@]}" ;;
  esac
}
order=(ours-train torchaudio-train ours-pretrain)
for round in $(seq "$rounds"); do
  for impl in "${order[@]}"; do
    run "$impl" | sed 's/\x1b\[?1h\x1b=//g'
  done
  order=("${order[@]:1}" "${order[0]}")
done
