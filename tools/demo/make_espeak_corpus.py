#!/usr/bin/env python3
"""Synthesises a small multi-speaker English corpus with espeak-ng for pretraining/fine-tuning experiments.

Sentences come from Debian's `fortunes` files, cleaned to lower-case letters and apostrophes, 4-20 words,
deduplicated and split disjointly. Speakers are fixed (voice, variant, pitch, rate) tuples; dev/test speakers
are disjoint from the training speakers ("unseen" voices). Writes WAV files and JSONL manifests
(audio_filepath, text, duration). Deterministic for a seed. Needs: apt-get install espeak-ng fortunes.

    python3 tools/demo/make_espeak_corpus.py OUT [--unlabelled-minutes 60] [--labelled-minutes 10]
"""
import argparse, glob, json, os, random, re, subprocess, wave

def sentences():
    seen, out = set(), []
    for path in sorted(glob.glob('/usr/share/games/fortunes/*')):
        if '.' in os.path.basename(path):
            continue
        try:
            text = open(path, encoding='utf-8', errors='ignore').read()
        except OSError:
            continue
        for block in text.split('\n%\n'):
            for s in re.split(r'(?<=[.!?])\s+', block.replace('\n', ' ')):
                s = re.sub(r"[^a-z' ]+", ' ', s.lower())
                s = re.sub(r"\s'|'\s", ' ', ' ' + s + ' ')
                words = s.split()
                if 4 <= len(words) <= 20 and not any(len(w) > 14 for w in words):
                    key = ' '.join(words)
                    if key not in seen:
                        seen.add(key)
                        out.append(key)
    return out

def speakers(rng, count, voices):
    variants = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'f1', 'f2', 'f3', 'f4', 'croak', 'klatt', 'whisper']
    return [(rng.choice(voices), rng.choice(variants), rng.randint(25, 75), rng.randint(130, 190)) for _ in range(count)]

def synth(speaker, text, path):
    voice, variant, pitch, rate = speaker
    if not os.path.exists(path):
        tmp = path + '.tmp.wav'
        subprocess.run(['espeak-ng', '-v', f'{voice}+{variant}', '-p', str(pitch), '-s', str(rate), '-w', tmp, text],
                       check=True, stderr=subprocess.DEVNULL)
        os.replace(tmp, path)
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--unlabelled-minutes', type=float, default=60)
    ap.add_argument('--labelled-minutes', type=float, default=10)
    ap.add_argument('--eval-minutes', type=float, default=3)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = sentences()
    rng.shuffle(pool)
    train_voices = ['en', 'en-us', 'en-gb', 'en-gb-x-rp', 'en-029']
    unseen_voices = ['en-gb-scotland', 'en-us-nyc', 'en-gb-x-gbclan']
    train_speakers = speakers(rng, 24, train_voices)
    seen_eval_speakers = train_speakers[:6]
    unseen_speakers = speakers(rng, 6, unseen_voices)
    plan = [('unlabelled', a.unlabelled_minutes, train_speakers), ('train_10min', a.labelled_minutes, train_speakers),
            ('dev', a.eval_minutes, unseen_speakers[:3]), ('test_seen', a.eval_minutes, seen_eval_speakers),
            ('test_unseen', a.eval_minutes, unseen_speakers[3:])]
    cursor = 0
    for split, minutes, spk in plan:
        os.makedirs(os.path.join(a.out, split), exist_ok=True)
        total, rows, i = 0.0, [], 0
        while total < minutes * 60:
            text = pool[cursor]; cursor += 1
            speaker = spk[i % len(spk)]
            path = os.path.join(a.out, split, f'{i:05d}.wav')
            duration = synth(speaker, text, path)
            rows.append({'audio_filepath': os.path.abspath(path), 'text': text, 'duration': round(duration, 3)})
            total += duration; i += 1
        with open(os.path.join(a.out, f'{split}.jsonl'), 'w') as f:
            for r in rows:
                f.write(json.dumps(r) + '\n')
        print(f'{split}: {len(rows)} utterances, {total / 60:.1f} min')

if __name__ == '__main__':
    main()
