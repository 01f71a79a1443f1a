#!/usr/bin/env bash
# Inference speed beside the peers, interleaved: for each round, geometry and clip length, every implementation in an
# order that rotates every round, so that all see the same machine. Random weights, one clip, --threads threads:
#   ours        our TorchSharp forward (fp32);
#   ort-fp32    our ONNX export (Wav2Vec2Sharp.Onnx, fp32) in ONNX Runtime, with the engine's session settings;
#   ort-int8    the same export with dynamic int8 linear layers;
#   ort-peer    ONNX Runtime on the base geometry exported from torchaudio (../shared/peer/export_onnx.py; base only);
#   torchaudio  torchaudio itself (base only).
# One JSON line per measurement on stdout (collect with > bench/results/infer-DATE.jsonl); the first lines describe
# the exports (sizes).
#   bench/run_infer_interleaved.sh [rounds=3] [threads=2] [archs="base small"]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-3}
threads=${2:-2}
archs=${3:-base small}
peer="$here/../../shared/peer"
onnx="${W2V_ONNX_MODEL:-/tmp/w2v_base.onnx}"
exports="${W2V_ONNX_EXPORTS:-/tmp/w2v-onnx-bench}"
dotnet build -c Release "$here/Wav2Vec2Sharp.Bench" -v quiet -nologo >/dev/null
bench="$here/Wav2Vec2Sharp.Bench/bin/Release/net10.0/linux-x64/Wav2Vec2Sharp.Bench.dll"
python=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
"${python[@]}" -c "import torchaudio" 2>/dev/null || { echo "torchaudio peer missing: run $peer/setup.sh" >&2; exit 1; }
[ -f "$onnx" ] || "${python[@]}" "$peer/export_onnx.py" "$onnx" >/dev/null 2>&1
for arch in $archs; do
  [ -f "$exports/$arch/int8/model.onnx" ] || dotnet "$bench" --mode onnx-export --arch "$arch" --model "$exports/$arch"
done

run() { # impl arch seconds
  local common=(--arch "$2" --seconds "$3" --threads "$threads" --warmup 1 --repeats 3)
  case "$1" in
    ours) dotnet "$bench" --mode infer "${common[@]}" ;;
    ort-fp32) dotnet "$bench" --mode onnx --model "$exports/$2/fp32" --label onnxruntime-export-fp32 "${common[@]}" ;;
    ort-int8) dotnet "$bench" --mode onnx --model "$exports/$2/int8" --label onnxruntime-export-int8 "${common[@]}" ;;
    ort-peer) dotnet "$bench" --mode onnx --model "$onnx" --label onnxruntime-torchaudio-export "${common[@]}" ;;
    torchaudio) "${python[@]}" "$peer/bench_torchaudio.py" --mode infer --arch "$2" --seconds "$3" --batch 1 --threads "$threads" --warmup 1 --repeats 3 ;;
  esac
}
order=(ours ort-fp32 ort-int8 ort-peer torchaudio)
for round in $(seq "$rounds"); do
  for arch in $archs; do
    for seconds in 10 30; do
      for impl in "${order[@]}"; do
        if [ "$arch" != base ] && [[ "$impl" == ort-peer || "$impl" == torchaudio ]]; then continue; fi
        run "$impl" "$arch" "$seconds" | sed 's/\x1b\[?1h\x1b=//g'
      done
    done
  done
  order=("${order[@]:1}" "${order[0]}")
done
