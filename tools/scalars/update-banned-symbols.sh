#!/usr/bin/env bash
# Regenerates BannedSymbols.txt from the TorchSharp that Directory.Packages.props pins (restored in the NuGet cache).
#   tools/scalars/update-banned-symbols.sh          rewrite BannedSymbols.txt
#   tools/scalars/update-banned-symbols.sh --check  exit 1, with the difference, when it is out of date
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  ""|--check) ;;
  *) echo "usage: tools/scalars/update-banned-symbols.sh [--check]" >&2; exit 2 ;;
esac
version=$(grep -oP 'Include="TorchSharp" Version="\K[^"]+' Directory.Packages.props) \
  || { echo "Directory.Packages.props pins no TorchSharp version" >&2; exit 2; }
cache=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')
dll="${cache%/}/torchsharp/$version/lib/net8.0/TorchSharp.dll"
if [ ! -f "$dll" ]; then
  echo "TorchSharp $version is not restored ($dll is missing): run dotnet restore first" >&2
  exit 2
fi
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
dotnet run tools/scalars/list-scalar-temporaries.cs -- "$dll" > "$fresh"
if [ "${1:-}" = "--check" ]; then
  if ! diff -u BannedSymbols.txt "$fresh"; then
    echo "BannedSymbols.txt does not match TorchSharp $version: run tools/scalars/update-banned-symbols.sh" >&2
    exit 1
  fi
  echo "BannedSymbols.txt: up to date with TorchSharp $version"
else
  cat "$fresh" > BannedSymbols.txt
  echo "BannedSymbols.txt: written from TorchSharp $version"
fi
