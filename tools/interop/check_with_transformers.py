#!/usr/bin/env python3
"""Interop check between Wav2Vec2Sharp and Hugging Face transformers (run where transformers is installed).

Two jobs, both CPU-only and deterministic:

  verify DIR   DIR holds what Wav2Vec2Sharp wrote:
                 ctc/        a w2v finetune model directory (Wav2Vec2ForCTC + tokenizer files)
                 pretrain/   a w2v pretrain model directory (Wav2Vec2ForPreTraining)
                 clip.npy    float32 [N] 16 kHz samples (raw; the processor normalises if its config says so)
                 ours_logits.npy   float32 [T, V] our logits for clip.npy (w2v transcribe --logits-out)
                 ours_text.txt     our greedy transcript
               It loads both directories with transformers (from_pretrained, reporting missing/unexpected
               keys), runs Wav2Vec2Processor + Wav2Vec2ForCTC on the clip and compares logits and the
               tokenizer's decoding with ours. Prints one JSON object; exit 1 if anything disagrees.

  export OUT   Builds small random-weight models with transformers itself (a post-LN "group" CTC model and
               a stable-LN "layer" CTC model), saves each with save_pretrained (safetensors) plus its
               logits for a fixed input, so that Wav2Vec2Sharp's tests can load files written by the
               current transformers release (tests/fixtures/transformers/).
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
import transformers
from safetensors.torch import save_file
from transformers import (Wav2Vec2Config, Wav2Vec2CTCTokenizer, Wav2Vec2FeatureExtractor, Wav2Vec2ForCTC,
                          Wav2Vec2ForPreTraining, Wav2Vec2Processor)


def verify(root: Path) -> int:
    report = {"transformers": transformers.__version__, "torch": torch.__version__}
    ok = True
    ctc, info = Wav2Vec2ForCTC.from_pretrained(root / "ctc", output_loading_info=True)
    report["ctc_loading"] = {k: sorted(v) if isinstance(v, (list, set)) else str(v) for k, v in info.items()}
    ok &= not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]
    pre, info = Wav2Vec2ForPreTraining.from_pretrained(root / "pretrain", output_loading_info=True)
    report["pretrain_loading"] = {k: sorted(v) if isinstance(v, (list, set)) else str(v) for k, v in info.items()}
    ok &= not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]

    processor = Wav2Vec2Processor.from_pretrained(root / "ctc")
    clip = np.load(root / "clip.npy").astype(np.float32)
    inputs = processor(clip, sampling_rate=16000, return_tensors="pt")
    ctc.eval()
    with torch.no_grad():
        logits = ctc(inputs.input_values).logits[0].numpy()
    ours = np.load(root / "ours_logits.npy")
    report["logits_shape"] = {"transformers": list(logits.shape), "wav2vec2sharp": list(ours.shape)}
    if logits.shape == ours.shape:
        diff = float(np.abs(logits - ours).max())
        report["logits_max_abs_diff"] = diff
        report["logits_max_abs"] = float(np.abs(ours).max())
        ok &= diff <= 1e-4 * max(1.0, float(np.abs(ours).max()))
    else:
        ok = False
    text = processor.batch_decode(torch.from_numpy(logits).argmax(-1)[None])[0]
    ours_text = (root / "ours_text.txt").read_text().strip()
    report["text"] = {"transformers": text, "wav2vec2sharp": ours_text}
    ok &= text == ours_text

    pre.eval()
    with torch.no_grad():
        out = pre(inputs.input_values)
    report["pretrain_forward"] = {"projected_states": list(out.projected_states.shape),
                                  "projected_quantized_states": list(out.projected_quantized_states.shape)}
    report["ok"] = bool(ok)
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


def export(out: Path) -> int:
    torch.manual_seed(0)
    out.mkdir(parents=True, exist_ok=True)
    samples = torch.randn(1, 16000) * 0.1
    save_file({"input_values": samples.contiguous()}, str(out / "input.safetensors"))
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, "A": 5, "B": 6, "C": 7}
    variants = {
        "group_postln": dict(feat_extract_norm="group", do_stable_layer_norm=False, conv_bias=False),
        "layer_stableln": dict(feat_extract_norm="layer", do_stable_layer_norm=True, conv_bias=True),
    }
    manifest = {"transformers": transformers.__version__, "torch": torch.__version__, "seed": 0, "variants": []}
    for name, extra in variants.items():
        config = Wav2Vec2Config(
            conv_dim=[16] * 7, hidden_size=24, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, vocab_size=len(vocab), pad_token_id=0,
            num_codevector_groups=2, num_codevectors_per_group=8, codevector_dim=16, proj_codevector_dim=12, **extra)
        model = Wav2Vec2ForCTC(config).eval()
        folder = out / name
        model.save_pretrained(folder, safe_serialization=True)
        (folder / "vocab.json").write_text(json.dumps(vocab))
        Wav2Vec2CTCTokenizer(str(folder / "vocab.json")).save_pretrained(folder)
        Wav2Vec2FeatureExtractor(do_normalize=name != "group_postln", return_attention_mask=name != "group_postln").save_pretrained(folder)
        with torch.no_grad():
            logits = model(samples).logits
        save_file({"logits": logits.contiguous()}, str(folder / "logits.safetensors"))
        manifest["variants"].append(name)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("verify", "export"):
        sys.exit(__doc__)
    sys.exit((verify if sys.argv[1] == "verify" else export)(Path(sys.argv[2])))
