#!/usr/bin/env bash
# Packs every package and the w2v tool, then uses them as a stranger would, in an empty folder outside the repository:
#  1. a console program that references only the Wav2Vec2Sharp package (from the local feed) transcribes a committed
#     WAV with a committed model, and its restore holds no training, corpus, ONNX, console or plotting assembly;
#  2. `dotnet tool install` puts w2v in a folder; `w2v --version` answers and `w2v transcribe` gives the same transcript,
#     also from the model it exported with `w2v export onnx` (ONNX Runtime, from the Wav2Vec2Sharp.Onnx package);
#  3. all these transcripts equal the one this repository's own build of w2v gives.
# Prints one "packages: ok" line, or the first difference, and exits non-zero on a failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cache=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')
cleanup() {
  rm -rf "$work"
  # the check's own version, unpacked into the NuGet cache by the restore and the tool install (the tool holds libtorch)
  [ -n "${version:-}" ] && for package in wav2vec2sharp wav2vec2sharp.training wav2vec2sharp.corpus wav2vec2sharp.onnx w2v; do rm -rf "$cache/$package/$version"; done
  return 0
}
trap cleanup EXIT
model="$repo/tests/fixtures/parity/group_postln_nobias"
audio="$repo/tests/fixtures/audio/mono16.wav"
log="$work/log"
fail() { echo "packages: $*" >&2; [ -s "$log" ] && tail -40 "$log" >&2; exit 1; }
quietly() { "$@" >>"$log" 2>&1 || fail "'$*' failed:"; }

command -v unzip >/dev/null || fail "unzip is needed to look inside the packages (apt-get install unzip)"

# a version of its own, so that no package cached from an earlier pack (same 0.1.0) can stand in for this one
version="0.1.0-check.$(date +%s)"
quietly dotnet pack "$repo/Wav2Vec2Sharp.slnx" -c Release -o "$work/nupkgs" -p:Version="$version" -nologo
for package in Wav2Vec2Sharp Wav2Vec2Sharp.Training Wav2Vec2Sharp.Corpus Wav2Vec2Sharp.Onnx w2v; do
  ls "$work/nupkgs/$package".[0-9]*.nupkg >/dev/null 2>&1 || fail "dotnet pack made no $package package"
done
# each library package carries its README, XML docs and symbols, and pins the core to exactly this version
for package in Wav2Vec2Sharp Wav2Vec2Sharp.Training Wav2Vec2Sharp.Corpus Wav2Vec2Sharp.Onnx; do
  nupkg="$work/nupkgs/$package.$version.nupkg"
  contents=$(unzip -Z1 "$nupkg")
  for entry in README.md "lib/net10.0/$package.dll" "lib/net10.0/$package.xml"; do
    grep -qx "$entry" <<<"$contents" || fail "$package.$version.nupkg has no $entry"
  done
  [ -f "$work/nupkgs/$package.$version.snupkg" ] || fail "dotnet pack made no $package symbols package"
  if [ "$package" != Wav2Vec2Sharp ]; then
    unzip -p "$nupkg" "$package.nuspec" | grep -q "id=\"Wav2Vec2Sharp\" version=\"\[$version\]\"" \
      || fail "$package.nuspec does not pin Wav2Vec2Sharp to [$version]: $(unzip -p "$nupkg" "$package.nuspec" | grep 'id="Wav2Vec2Sharp"')"
  fi
done

# the repository's own w2v
quietly dotnet build "$repo/src/Wav2Vec2Sharp.Cli" -c Release -nologo
expected=$("$repo/src/Wav2Vec2Sharp.Cli/bin/Release/net10.0/linux-x64/w2v" transcribe --model "$model" "$audio")
[ -n "$expected" ] || fail "the repository's w2v gave an empty transcript"

# 1. a library consumer
mkdir "$work/app"
cd "$work/app"
quietly dotnet new console -n Consumer -o .
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/nupkgs" />
  </packageSources>
</configuration>
XML
quietly dotnet add package Wav2Vec2Sharp --version "$version"
cat > Program.cs <<'CS'
using Wav2Vec2Sharp.Inference;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Consumer MODEL_DIR AUDIO_FILE");
    return 2;
}
using var transcriber = Transcriber.Load(args[0]);
Console.WriteLine(transcriber.TranscribeFile(args[1]).Text);
return 0;
CS
quietly dotnet build -nologo
library=$(dotnet run --no-build -- "$model" "$audio")
[ "$library" = "$expected" ] || fail "the library consumer transcribed '$library', the repository's w2v '$expected'"
unwanted=$(grep -oE '"(Wav2Vec2Sharp\.Training|Wav2Vec2Sharp\.Corpus|Wav2Vec2Sharp\.Onnx|Microsoft\.ML\.OnnxRuntime|Spectre\.Console|ScottPlot|System\.CommandLine)/' obj/project.assets.json | sort -u || true)
[ -z "$unwanted" ] || fail "a transcription-only consumer restored $unwanted"

# 1b. the same consumer with libtorch from elsewhere (how a CUDA libtorch is used): the CPU runtime package excluded, the
#     loader pointed at a libtorch directory (here the CPU one from the NuGet cache standing in for a CUDA build)
libtorch_version=$(grep -oE '"libtorch-cpu-linux-x64/[^"]+"' obj/project.assets.json | head -1 | sed -E 's/.*\/([^"]+)"/\1/')
[ -n "$libtorch_version" ] || fail "the consumer's restore has no libtorch-cpu-linux-x64"
quietly dotnet add package libtorch-cpu-linux-x64 --version "$libtorch_version"
sed -i 's|<PackageReference Include="libtorch-cpu-linux-x64" Version="[^"]*" />|<PackageReference Include="libtorch-cpu-linux-x64" Version="'"$libtorch_version"'" ExcludeAssets="all" />|' Consumer.csproj
grep -q 'ExcludeAssets="all"' Consumer.csproj || fail "could not exclude libtorch-cpu-linux-x64 in Consumer.csproj"
rm -rf bin obj
quietly dotnet build -nologo
! ls bin/Debug/net10.0/libtorch_cpu.so bin/Debug/net10.0/runtimes/linux-x64/native/libtorch_cpu.so >/dev/null 2>&1 \
  || fail "the consumer that excludes libtorch-cpu-linux-x64 still carries libtorch_cpu.so"
external="$cache/libtorch-cpu-linux-x64/$libtorch_version/runtimes/linux-x64/native"
[ -f "$external/libtorch_cpu.so" ] || fail "no libtorch_cpu.so in $external"
library=$(LD_LIBRARY_PATH="$external" dotnet run --no-build -- "$model" "$audio")
[ "$library" = "$expected" ] || fail "the consumer with an external libtorch transcribed '$library', the repository's w2v '$expected'"

# 2. the tool
quietly dotnet tool install --tool-path "$work/tools" --add-source "$work/nupkgs" w2v --version "$version"
reported=$("$work/tools/w2v" --version)
case "$reported" in "$version"*) ;; *) fail "w2v --version printed '$reported', not $version";; esac
tool=$("$work/tools/w2v" transcribe --model "$model" "$audio")
[ "$tool" = "$expected" ] || fail "the installed w2v transcribed '$tool', the repository's '$expected'"
quietly "$work/tools/w2v" export onnx --model "$model" --out "$work/onnx"
onnx=$("$work/tools/w2v" transcribe --model "$work/onnx" --engine onnx "$audio")
[ "$onnx" = "$expected" ] || fail "the installed w2v transcribed '$onnx' from its ONNX export, the repository's '$expected' from the model"

echo "packages: ok ($version: library consumer (bundled and external libtorch), installed tool and its ONNX export all transcribe '$expected')"
