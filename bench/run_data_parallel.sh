#!/usr/bin/env bash
# Data-parallel costs on this machine: MPI all-reduce bandwidth, then time per pretraining update for the small and base
# presets, with 1 rank and with 2 ranks of 1 thread each (2 ranks twice: gradients reduced after the backward pass, then
# overlapped with it), interleaved round by round so all see the same machine.
# One JSON line per measurement on stdout (collect with > bench/results/data-parallel-DATE.jsonl).
#   bench/run_data_parallel.sh [rounds=3]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-3}
dotnet build -c Release "$here/Wav2Vec2Sharp.Bench" -v quiet -nologo >/dev/null
bench="$here/Wav2Vec2Sharp.Bench/bin/Release/net10.0/linux-x64/Wav2Vec2Sharp.Bench.dll"
mpi=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
for round in $(seq "$rounds"); do
  for ranks in 1 2; do
    "${mpi[@]}" -np "$ranks" dotnet "$bench" --mode allreduce --threads 1 --warmup 2 --repeats 9
  done
  for arch in small base; do
    seconds=$([ "$arch" = small ] && echo 4 || echo 2)
    for run in "1 off" "2 off" "2 on"; do
      set -- $run
      "${mpi[@]}" -np "$1" dotnet "$bench" --mode update --arch "$arch" --batch 1 --seconds "$seconds" --threads 1 --warmup 1 --repeats 5 --overlap "$2"
    done
  done
done
