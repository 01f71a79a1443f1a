#!/usr/bin/env bash
# Inference speed beside the peers, interleaved: for each round and clip length, our TorchSharp forward, ONNX Runtime on
# the same geometry exported from torchaudio (../shared/peer/export_onnx.py), and torchaudio itself, in an order that
# rotates every round, so that all three see the same machine. Base geometry, random weights, one clip, fp32.
# One JSON line per measurement on stdout (collect with > bench/results/infer-DATE.jsonl).
#   bench/run_infer_interleaved.sh [rounds=3] [threads=2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-3}
threads=${2:-2}
peer="$here/../../shared/peer"
onnx="${W2V_ONNX_MODEL:-/tmp/w2v_base.onnx}"
dotnet build -c Release "$here/Wav2Vec2Sharp.Bench" -v quiet -nologo >/dev/null
bench="$here/Wav2Vec2Sharp.Bench/bin/Release/net10.0/linux-x64/Wav2Vec2Sharp.Bench.dll"
python=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
"${python[@]}" -c "import torchaudio" 2>/dev/null || { echo "torchaudio peer missing: run $peer/setup.sh" >&2; exit 1; }
[ -f "$onnx" ] || "${python[@]}" "$peer/export_onnx.py" "$onnx" >/dev/null 2>&1

run() {
  case "$1" in
    ours) dotnet "$bench" --mode infer --arch base --seconds "$2" --threads "$threads" --warmup 1 --repeats 3 ;;
    onnx) dotnet "$bench" --mode onnx --model "$onnx" --seconds "$2" --threads "$threads" --warmup 1 --repeats 3 ;;
    torchaudio) "${python[@]}" "$peer/bench_torchaudio.py" --mode infer --seconds "$2" --batch 1 --threads "$threads" --warmup 1 --repeats 3 ;;
  esac
}
order=(ours onnx torchaudio)
for round in $(seq "$rounds"); do
  for seconds in 10 30; do
    for impl in "${order[@]}"; do
      run "$impl" "$seconds" | sed 's/\x1b\[?1h\x1b=//g'
    done
  done
  order=("${order[@]:1}" "${order[0]}")
done
