#!/usr/bin/env bash
# Runs the Wav2Vec2Sharp forward benchmark and the torchaudio peer (../shared/peer) with the same
# settings, one after the other, and prints one JSON line for each.
#   bench/run_side_by_side.sh [--seconds 10] [--batch 1] [--threads 2] [--mode infer|train]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
peer="$here/../../shared/peer/bench_torchaudio.py"
dotnet build -c Release "$here/Wav2Vec2Sharp.Bench" -v quiet -nologo >/dev/null
dotnet "$here/Wav2Vec2Sharp.Bench/bin/Release/net10.0/linux-x64/Wav2Vec2Sharp.Bench.dll" "$@"
if [ -f "$peer" ] && /usr/bin/python3 -c "import torchaudio" 2>/dev/null; then
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$peer" "$@"
else
  echo '{"impl": "torchaudio", "skipped": "peer not installed: run ../shared/peer/setup.sh"}'
fi
