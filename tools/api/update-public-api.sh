#!/usr/bin/env bash
# Rewrites PublicAPI.Shipped.txt of the library packages from their code (the public API analyzers' own fix, applied
# by `dotnet format`), for use before a release while the API is still 0.x: review the diff, then commit it.
#   tools/api/update-public-api.sh [Wav2Vec2Sharp Wav2Vec2Sharp.Training Wav2Vec2Sharp.Corpus Wav2Vec2Sharp.Onnx]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(Wav2Vec2Sharp Wav2Vec2Sharp.Training Wav2Vec2Sharp.Corpus Wav2Vec2Sharp.Onnx)
for project in "${projects[@]}"; do
  dir="$repo/src/$project"
  printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$dir/$project.csproj" --diagnostics RS0016 --severity warn >/dev/null 2>&1 || true
  { echo '#nullable enable'; grep -v '^#nullable' "$dir/PublicAPI.Unshipped.txt" | LC_ALL=C sort -u; } > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  echo "$project: $(($(wc -l < "$dir/PublicAPI.Shipped.txt") - 1)) public API entries"
done
