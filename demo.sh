#!/usr/bin/env bash
# The project's main job: the end-to-end demo (`w2v demo`, see README). Arguments go to `w2v demo`,
# e.g. `./demo.sh --quick` for the < 10 minute smoke test, `./demo.sh --out runs/demo`.
# Installs the Debian TTS engines and text sources it needs when run as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")"

packages=(espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts fortunes wordnet-base)
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
