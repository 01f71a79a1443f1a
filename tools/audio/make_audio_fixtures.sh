#!/usr/bin/env bash
# Regenerates the audio fixtures under tests/fixtures/audio/ (used by tests/Wav2Vec2Sharp.Tests/Audio).
# Needs sox, flac, lame, oggenc, opusenc and ffmpeg:  apt-get install -y sox flac lame vorbis-tools opus-tools ffmpeg
# The FLAC files are decoded bit-exactly against the WAV files they were made from, so both are committed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../../tests/fixtures/audio}"
mkdir -p "$out"
cd "$out"

for tool in sox flac lame oggenc opusenc ffmpeg; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y sox flac lame vorbis-tools opus-tools ffmpeg" >&2; exit 1; }
done

SOX="sox -R -D"   # -R: repeatable random numbers (noise), -D: no dither

# 0.75 s at 16 kHz, 16-bit mono: five sines (440 to 5100 Hz) and a little white noise.
$SOX -r 16000 -c 6 -n -b 16 mono16.wav synth 0.75 sine 440 sine 1250 sine 2730 sine 3900 sine 5100 whitenoise \
  remix 1v0.3,2v0.2,3v0.1,4v0.1,5v0.1,6v0.002

# 0.4 s at 16 kHz, 24-bit stereo in four parts, each of which makes the encoder pick another channel decorrelation:
# L = x + n, R = x - n (mid/side); R = x (right/side); L = x (left/side); unrelated loud noises (independent).
$SOX -r 16000 -c 2 -n -b 24 part1.wav synth 0.1 sine 330 whitenoise remix 1v0.4,2v0.02 1v0.4,2v-0.02
$SOX -r 16000 -c 2 -n -b 24 part2.wav synth 0.1 sine 330 whitenoise remix 1v0.4,2v0.02 1v0.4
$SOX -r 16000 -c 2 -n -b 24 part3.wav synth 0.1 sine 330 whitenoise remix 1v0.4 1v0.4,2v0.02
$SOX -r 16000 -c 2 -n -b 24 part4.wav synth 0.1 whitenoise brownnoise remix 1v0.8 2v0.5
$SOX part1.wav part2.wav part3.wav part4.wav stereo24.wav
rm part1.wav part2.wav part3.wav part4.wav

# 0.05 s at 16 kHz, 32-bit stereo near full scale: the side channel of mid/side needs 33 bits.
$SOX -r 16000 -c 2 -n -b 32 stereo32.wav synth 0.05 sine 330 whitenoise remix 1v0.9,2v0.05 1v0.8,2v-0.05

# 0.5 s at 11025 Hz (a sample rate FLAC codes in the frame header), 8-bit unsigned mono.
$SOX mono16.wav -r 11025 -b 8 mono8.wav vol 0.9 trim 0 0.5

# 0.25 s of a constant signal (CONSTANT subframes).
$SOX -r 16000 -c 1 -n -b 16 constant.wav synth 0.25 sine 0 dcshift 0.25

flac -s -f -5 -o mono16.flac mono16.wav                                        # LPC, with a PADDING block
flac -s -f -8 -b 1152 --no-padding -o mono16_lpc8.flac mono16.wav               # LPC up to order 12
flac -s -f -8 --lax -l 32 -b 1024 --no-padding -o mono16_lpc32.flac mono16.wav  # LPC up to order 32
flac -s -f -2 -b 576 --no-padding -o mono16_fixed.flac mono16.wav               # FIXED predictors only
flac -s -f -5 -b 576 --no-padding -o stereo24.flac stereo24.wav                 # all four channel assignments
flac -s -f -5 -b 576 --no-padding -o stereo32.flac stereo32.wav                 # 32-bit, mid/side
flac -s -f -5 --no-padding -o mono8.flac mono8.wav
# The 8-bit signal widened to 16 bits: every sample has 8 wasted low bits.
$SOX mono8.wav -b 16 mono8_as16.wav
flac -s -f -5 --no-padding -o mono8_wasted.flac mono8_as16.wav
rm mono8_as16.wav
flac -s -f -5 --no-padding -o constant.flac constant.wav

# Lossy: MP3 (MPEG-2 layer III at 16 kHz, with an ID3v2 tag in front) and Ogg Vorbis, from mono16.wav.
lame --quiet -b 64 --add-id3v2 --tt "Wav2Vec2Sharp fixture" mono16.wav mono16.mp3
# The same without LAME's Xing/Info frame, which records the encoder delay and padding.
lame --quiet -b 64 -t mono16.wav mono16_untagged.mp3
# With a CRC in every frame (the tag stays where it is without one).
lame --quiet -b 64 -p mono16.wav mono16_crc.mp3
# Variable bit rate: a Xing frame whose table of contents comes before the LAME tag.
lame --quiet -V 2 mono16.wav mono16_vbr.mp3
oggenc -Q -q 4 -s 20240601 -o mono16.ogg mono16.wav

ls -l "$out"

# Ogg Opus (decoded at 48 kHz; the granule position gives the exact length): mono at opusenc's default rate, stereo at 96 kb/s.
opusenc --quiet mono16.wav mono16.opus
opusenc --quiet --bitrate 96 stereo24.wav stereo24.opus

# WebM Opus: the same Opus packets copied into WebM by ffmpeg's Matroska muxer (the tests expect exactly the Ogg Opus
# samples). mono16.webm has known sizes, Cues and DiscardPadding; stereo24.webm is written to a pipe, as a live
# recording is, so its Segment has an unknown size. (MediaRecorder's unknown-size Clusters are made by the tests.)
ffmpeg -v error -y -i mono16.opus -c:a copy -map_metadata -1 -fflags +bitexact mono16.webm
ffmpeg -v error -i stereo24.opus -c:a copy -map_metadata -1 -fflags +bitexact -f webm - > stereo24.webm
