#!/usr/bin/env bash
# Packs every package and the w2v tool, then uses them as a stranger would, in an empty folder outside the repository:
#  1. a console program that references only the Wav2Vec2Sharp package (from the local feed) transcribes a committed
#     WAV with a committed model, and its restore holds no training, corpus, console or plotting assembly;
#  2. `dotnet tool install` puts w2v in a folder; `w2v --version` answers and `w2v transcribe` gives the same transcript;
#  3. both transcripts equal the one this repository's own build of w2v gives.
# Prints one "packages: ok" line, or the first difference, and exits non-zero on a failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model="$repo/tests/fixtures/parity/group_postln_nobias"
audio="$repo/tests/fixtures/audio/mono16.wav"
fail() { echo "packages: $*" >&2; exit 1; }

dotnet pack "$repo/Wav2Vec2Sharp.slnx" -c Release -o "$work/nupkgs" -v quiet -nologo >/dev/null
for package in Wav2Vec2Sharp Wav2Vec2Sharp.Training Wav2Vec2Sharp.Corpus w2v; do
  ls "$work/nupkgs/$package".[0-9]*.nupkg >/dev/null 2>&1 || fail "dotnet pack made no $package package"
done
version=$(ls "$work/nupkgs"/Wav2Vec2Sharp.[0-9]*.nupkg | sed -E 's/.*Wav2Vec2Sharp\.([0-9][^/]*)\.nupkg/\1/')

# the repository's own w2v
dotnet build "$repo/src/Wav2Vec2Sharp.Cli" -c Release -v quiet -nologo >/dev/null
expected=$("$repo/src/Wav2Vec2Sharp.Cli/bin/Release/net10.0/linux-x64/w2v" transcribe --model "$model" "$audio")
[ -n "$expected" ] || fail "the repository's w2v gave an empty transcript"

# 1. a library consumer
mkdir "$work/app"
cd "$work/app"
dotnet new console -n Consumer -o . >/dev/null
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/nupkgs" />
  </packageSources>
</configuration>
XML
dotnet add package Wav2Vec2Sharp --version "$version" >/dev/null
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
dotnet build -v quiet -nologo >/dev/null
library=$(dotnet run --no-build -- "$model" "$audio")
[ "$library" = "$expected" ] || fail "the library consumer transcribed '$library', the repository's w2v '$expected'"
unwanted=$(grep -oE '"(Wav2Vec2Sharp\.Training|Wav2Vec2Sharp\.Corpus|Spectre\.Console|ScottPlot|System\.CommandLine)/' obj/project.assets.json | sort -u || true)
[ -z "$unwanted" ] || fail "a transcription-only consumer restored $unwanted"

# 2. the tool
dotnet tool install --tool-path "$work/tools" --add-source "$work/nupkgs" w2v --version "$version" >/dev/null
reported=$("$work/tools/w2v" --version)
case "$reported" in "$version"*) ;; *) fail "w2v --version printed '$reported', not $version";; esac
tool=$("$work/tools/w2v" transcribe --model "$model" "$audio")
[ "$tool" = "$expected" ] || fail "the installed w2v transcribed '$tool', the repository's '$expected'"

echo "packages: ok ($version: library consumer and installed tool both transcribe '$expected')"
