#!/usr/bin/env bash
# `w2v serve` under load beside `w2v transcribe`, then a soak run. Needs a fine-tuned model directory and a folder of
# WAV clips, e.g. the digit model of the synthetic corpus and its test clips:
#   bench/run_serve_load.sh [model=/tmp/digits/runs/pre1/model] [audio=/tmp/digits/C/test_seen] [seconds=60] [soak_seconds=180] [rounds=1]
# Appends to bench/results/serve-load-DATE.jsonl (W2V_DATE, default today, UTC):
#   transcribe-sequential  `w2v transcribe` over all the files in one process (--batch-size 1 and 4): the CLI's own
#                          throughput line (model loaded) and the wall time with the load;
#   serve-load             the built server, per "batch-size:clients" in W2V_SERVE_CONFIGS (default 1:1 4:1 1:4 4:4 4:8 8:8),
#                          clients posting the files round-robin for `seconds` (ServeLoadBench.cs), `rounds` times;
#   serve-load, mixed      with W2V_SERVE_MIXED=1, also 60 clips of 1 to 10 s made by joining random files of `audio`
#                          (seeded; /tmp/serve-mixed), 4 clients, batch size 1 and 4, for 45 s, `rounds` times;
# and writes the soak line (4 clients, batch size 4, 20 % bad requests) to bench/results/serve-soak-DATE.jsonl.
# Set soak_seconds to 0 to skip the soak.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
model=${1:-/tmp/digits/runs/pre1/model}
audio=${2:-/tmp/digits/C/test_seen}
seconds=${3:-60}
soak_seconds=${4:-180}
rounds=${5:-1}
configs=${W2V_SERVE_CONFIGS:-1:1 4:1 1:4 4:4 4:8 8:8}
date=${W2V_DATE:-$(date -u +%F)}
mkdir -p "$here/results"
load_out="$here/results/serve-load-$date.jsonl"
soak_out="$here/results/serve-soak-$date.jsonl"
dotnet build -c Release "$root/src/Wav2Vec2Sharp.Cli" -v quiet -nologo >/dev/null
dotnet build -c Release "$here/Wav2Vec2Sharp.Bench" -v quiet -nologo >/dev/null
w2v="$root/src/Wav2Vec2Sharp.Cli/bin/Release/net10.0/linux-x64/w2v"
bench="$here/Wav2Vec2Sharp.Bench/bin/Release/net10.0/linux-x64/Wav2Vec2Sharp.Bench.dll"
loadavg() { awk '{printf "[\"%s\",\"%s\",\"%s\"]", $1, $2, $3}' /proc/loadavg; }

sequential() { # batch size
  local err start end summary
  err=$(mktemp)
  start=$(date +%s.%N)
  "$w2v" transcribe --model "$model" --batch-size "$1" --progress true "$audio" >/dev/null 2>"$err"
  end=$(date +%s.%N)
  # "transcribed N of M files: A s of audio in S s (R audio-s/s)"
  summary=$(grep -a '^transcribed ' "$err" | tail -1)
  rm -f "$err"
  echo "$summary" | awk -v b="$1" -v s="$start" -v e="$end" -v m="$model" -v d="$date" -v l="$(loadavg)" '{
    audio = $6; secs = $11; wall = e - s;
    printf "{\"impl\":\"Wav2Vec2Sharp\",\"mode\":\"transcribe-sequential\",\"model\":\"%s\",\"batch_size\":%d,\"files\":%d,\"audio_seconds\":%s,\"transcribe_s\":%s,\"audio_s_per_s\":%.3f,\"wall_s_with_load\":%.2f,\"wall_audio_s_per_s\":%.3f,\"date\":\"%s\",\"loadavg\":%s}\n",
      m, b, $4, audio, secs, audio / secs, wall, audio / wall, d, l }'
}

for round in $(seq "$rounds"); do
  sequential 1 | tee -a "$load_out"
  sequential 4 | tee -a "$load_out"
  for config in $configs; do
    dotnet "$bench" --mode serve-load --server "$w2v" --model "$model" --audio "$audio" \
      --batch-size "${config%%:*}" --clients "${config##*:}" --seconds "$seconds" | tee -a "$load_out"
  done
done
if [ "${W2V_SERVE_MIXED:-0}" = 1 ]; then
  mkdir -p /tmp/serve-mixed
  python3 - "$audio" /tmp/serve-mixed <<'PY'
import glob, random, sys, wave
files = sorted(glob.glob(sys.argv[1] + '/*.wav'))
with wave.open(files[0]) as w:
    params = w.getparams()
def frames(path):
    with wave.open(path) as w:
        return w.readframes(w.getnframes())
pool = [frames(p) for p in files]
random.seed(1)
for i in range(60):
    target, data = random.uniform(1, 10) * params.framerate * params.sampwidth, b''
    while len(data) < target:
        data += random.choice(pool)
    with wave.open(f'{sys.argv[2]}/{i:03d}.wav', 'wb') as out:
        out.setparams(params)
        out.writeframes(data)
PY
  for round in $(seq "$rounds"); do
    for batch in 1 4; do
      dotnet "$bench" --mode serve-load --server "$w2v" --model "$model" --audio /tmp/serve-mixed \
        --batch-size "$batch" --clients 4 --seconds 45 | tee -a "$load_out"
    done
  done
fi
if [ "$soak_seconds" != 0 ]; then
  dotnet "$bench" --mode serve-load --soak --server "$w2v" --model "$model" --audio "$audio" \
    --batch-size 4 --clients 4 --seconds "$soak_seconds" | tee -a "$soak_out"
fi
