#!/usr/bin/env bash
# On a bare GPU machine, from the repository's root: unpacks what tools/device/pack.sh put in .device/, points the
# loader at PyTorch's CUDA libtorch and at the packed Open MPI, and runs
#   bench/run_gpu_ranks.sh (one process, then 2 ranks sharing the GPU, overlapped and not: audio-s/s of the job) and
#   bench/check_resume_replicas.sh (two runs, a resumed run and 2 ranks' replicas: are they bitwise equal there?).
# Results, the runs' logs and training lines, and the GPU's utilisation sampled every second are written to $OUT (or
# out/device/): at most 7 files.
#   tools/device/run_gpu_checks.sh [UPDATES=200]
# With the project's device tool: after tools/device/pack.sh DATA.tsv here, one call with carry [".device"] and the
# command tools/device/run_gpu_checks.sh (about 4 minutes on an H100 besides the machine's start).
# DEVICE=cpu TORCH_LIB=<a libtorch's lib/ folder> runs the same on the CPU (a dry run of the whole route; there
# TOKENS=64000 CHECK_TOKENS=128000 CHECK_UPDATES=20 keep it short).
set -euo pipefail
updates=${1:-200}
repo=$(cd "$(dirname "$0")/../.." && pwd)
results=${OUT:-$repo/out/device}
unpacked=${UNPACK_DIR:-/tmp/w2v-device}
mkdir -p "$results" "$unpacked"
for archive in w2v openmpi data; do
  [ -f "$repo/.device/$archive.tar.xz" ] || { echo "error: .device/$archive.tar.xz is missing: run tools/device/pack.sh first" >&2; exit 1; }
  rm -rf "${unpacked:?}/$archive" # a rerun on a warm machine must not test an earlier pack
  tar -C "$unpacked" -xJf "$repo/.device/$archive.tar.xz"
done

torch_lib=${TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
[ -d "$torch_lib" ] || { echo "error: $torch_lib: no libtorch lib/ folder" >&2; exit 1; }
mpi="$unpacked/openmpi"
pmix="$mpi/lib/x86_64-linux-gnu/pmix2"
export OPAL_PREFIX="$mpi" PATH="$mpi/bin:$PATH"
export PMIX_PREFIX="$pmix" PMIX_PKGDATADIR="$pmix/share/pmix" PMIX_PKGLIBDIR="$pmix/lib/pmix"
export LD_LIBRARY_PATH="$mpi/lib/x86_64-linux-gnu:$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# One machine: shared memory between the ranks, no launcher agent (ssh) needed, no warning for absent networks.
export OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,vader OMPI_MCA_plm_rsh_agent=false OMPI_MCA_btl_base_warn_component_unused=0

{
  echo "date: $(date -u +%FT%TZ)"
  echo "w2v: $("$unpacked/w2v/w2v" --version)"
  echo "mpirun: $(mpirun --version | head -1)"
  echo "libtorch: $torch_lib"
  python3 -c 'import torch; print("torch:", torch.__version__, "cuda:", torch.version.cuda)' 2>/dev/null || true
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "gpu: none"
  nproc
} | tee "$results/environment.txt"

sampler=
if [ "${DEVICE:-cuda}" != cpu ]; then
  nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv,noheader -l 1 >"$results/gpu-utilisation.csv" &
  sampler=$!
fi
status=0
LOGS="$results" "$repo/bench/run_gpu_ranks.sh" "$unpacked/w2v/w2v" "$unpacked/data/train.tsv" "$updates" \
  | tee "$results/gpu-ranks.jsonl" || status=$?
LOGS="$results" "$repo/bench/check_resume_replicas.sh" "$unpacked/w2v/w2v" "$unpacked/data/train.tsv" "${CHECK_UPDATES:-200}" \
  | tee "$results/resume-replicas.jsonl" || status=$?
[ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
exit "$status"
