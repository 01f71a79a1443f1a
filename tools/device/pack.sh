#!/usr/bin/env bash
# Packs what a bare GPU machine needs to run `mpirun -np 2 w2v pretrain --device cuda` (tools/device/run_gpu_checks.sh)
# into .device/ at the repository's root (ignored by git):
#   w2v.tar.xz       w2v published self-contained for linux-x64 without libtorch (W2vLibTorch=external), trimmed
#                    (framework assemblies only) and without the ONNX Runtime natives, which pretraining never loads;
#                    the machine's CUDA libtorch (PyTorch's lib/ folder) is found on LD_LIBRARY_PATH
#   openmpi.tar.xz   this machine's Open MPI 4.1 runtime (Debian 12 packages: mpirun, libmpi.so.40, PMIx, hwloc,
#                    libevent and the components whose libraries come along), relocatable with OPAL_PREFIX and
#                    PMIX_PREFIX
#   data.tar.xz      the corpus of DATA.tsv (a fairseq manifest: root folder, then path<TAB>samples) and its audio
#   tools/device/pack.sh DATA.tsv
# Everything that travels to the device machine (tracked files and .device/) must stay under 64 MiB; the script says
# how much it packed and fails when the sum is over.
set -euo pipefail
manifest=${1:?usage: tools/device/pack.sh DATA.tsv}
[ -f "$manifest" ] || { echo "error: $manifest: manifest not found" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "error: no mpirun here: install openmpi-bin and libopenmpi-dev" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo/.device"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# 1. w2v, built from a clone of HEAD so that the working tree's build outputs stay as they are.
git -C "$repo" clone -q "$repo" "$work/src"
dotnet publish "$work/src/src/Wav2Vec2Sharp.Cli" -c Release -r linux-x64 --self-contained -nologo -v quiet \
  -p:W2vLibTorch=external -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:TreatWarningsAsErrors=false -p:JsonSerializerIsReflectionEnabledByDefault=true -o "$work/w2v" >"$work/publish.log" 2>&1 \
  || { tail -20 "$work/publish.log" >&2; echo "error: dotnet publish failed" >&2; exit 1; }
rm -f "$work"/w2v/*onnxruntime* "$work"/w2v/libmscord* "$work"/w2v/createdump
tar -C "$work" -cJf "$out/w2v.tar.xz.tmp" w2v && mv "$out/w2v.tar.xz.tmp" "$out/w2v.tar.xz"

# 2. Open MPI, laid out as under /usr so that OPAL_PREFIX relocates every path it derives from its prefix.
multiarch=lib/x86_64-linux-gnu
mpi="$work/openmpi"
mkdir -p "$mpi/bin" "$mpi/$multiarch/openmpi/lib/openmpi3" "$mpi/share"
cp -L /usr/bin/orterun /usr/bin/orted /usr/bin/ompi_info "$mpi/bin/"
ln -s orterun "$mpi/bin/mpirun"
for library in libmpi.so.40 libopen-rte.so.40 libopen-pal.so.40 libhwloc.so.15 libevent_core-2.1.so.7 \
  libevent_pthreads-2.1.so.7 libudev.so.1 libmunge.so.2 libz.so.1; do
  cp -L "/usr/$multiarch/$library" "$mpi/$multiarch/"
done
cp -L "/usr/$multiarch/pmix2/lib/libpmix.so.2" "$mpi/$multiarch/"
# A library or component travels only when every library it needs is in the bundle or is the C library's own
# (so UCX, libfabric, verbs and OpenSHMEM stay behind: one machine's ranks talk through shared memory).
needs_met() {
  local need present=" $(ls "$mpi/$multiarch" | tr "\n" " ") "
  for need in $(objdump -p "$1" | awk '/NEEDED/ {print $2}'); do
    case "$need" in libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|libutil.so*|ld-linux-x86-64.so*) continue;; esac
    case "$present" in *" $need "*) ;; *) return 1;; esac
  done
}
for common in /usr/$multiarch/libmca_common_*.so.*; do
  case "$common" in *.so.*.*) continue;; esac # the soname links only
  if needs_met "$common"; then cp -L "$common" "$mpi/$multiarch/"; fi
done
for component in /usr/$multiarch/openmpi/lib/openmpi3/*.so; do
  if needs_met "$component"; then cp "$component" "$mpi/$multiarch/openmpi/lib/openmpi3/"; fi
done
cp -r /usr/share/openmpi "$mpi/share/"
# PMIx keeps its own prefix, relocated with PMIX_PREFIX: its components and help files.
mkdir -p "$mpi/$multiarch/pmix2/lib/pmix"
cp -r "/usr/$multiarch/pmix2/share" "$mpi/$multiarch/pmix2/"
for component in /usr/$multiarch/pmix2/lib/pmix/*.so; do
  if needs_met "$component"; then cp "$component" "$mpi/$multiarch/pmix2/lib/pmix/"; fi
done
tar -C "$work" -cJf "$out/openmpi.tar.xz.tmp" openmpi && mv "$out/openmpi.tar.xz.tmp" "$out/openmpi.tar.xz"

# 3. The corpus: the files the manifest lists (its root is relative to the manifest when relative) and the manifest,
#    rooted at data/.
root=$(head -1 "$manifest")
case "$root" in /*) ;; *) root="$(cd "$(dirname "$manifest")" && pwd)/$root";; esac
mkdir -p "$work/data/audio"
tail -n +2 "$manifest" | cut -f1 | (cd "$root" && xargs -d '\n' cp --parents -t "$work/data/audio")
{ echo "audio"; tail -n +2 "$manifest"; } >"$work/data/train.tsv"
tar -C "$work" -cJf "$out/data.tar.xz.tmp" data && mv "$out/data.tar.xz.tmp" "$out/data.tar.xz"

tracked=$( (cd "$repo" && git ls-files -z | du -cb --files0-from=- 2>/dev/null || true) | tail -1 | cut -f1)
packed=$(du -cb "$out"/*.tar.xz | tail -1 | cut -f1)
total=$(( (tracked + packed) / 1048576 ))
ls -la "$out"
echo "tracked files $((tracked / 1048576)) MiB + .device $((packed / 1048576)) MiB = $total MiB of the 64 MiB that travel"
[ "$total" -lt 64 ] || { echo "error: over the 64 MiB that travel to the device machine: pack a smaller corpus" >&2; exit 1; }
