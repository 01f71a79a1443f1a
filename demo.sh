#!/usr/bin/env bash
# The project's main job: the end-to-end demo (`w2v demo`, see README), by default on connected digits (eleven words,
# 3 minutes of labels, into demo-digits/), scored on seen and unseen speakers and on the seen speakers through a
# telephone, MP3, reverberation and noise. Arguments go to `w2v demo`, e.g. `./demo.sh --quick` for the < 10 minute
# smoke test, `./demo.sh --task sentences` for open-vocabulary sentences (10 minutes of labels, into demo-output/),
# `./demo.sh --out runs/demo`. Installs the Debian TTS engines, text sources and LAME (for the MP3 test) it needs when
# run as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")"

packages=(espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts fortunes wordnet-base lame)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "the demo needs: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

dotnet run -c Release --project src/Wav2Vec2Sharp.Cli -- demo "$@"
