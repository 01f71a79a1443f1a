#!/usr/bin/python3
"""Parity-fixture generator for Wav2Vec2Sharp.

What it writes (under tests/fixtures/parity/, relative to the repository root):

  fixtures.json                      manifest: variants, versions, seeds, geometry, tolerances, key list
  inputs.safetensors                 the model inputs, shared by all variants (stored once):
                                     single.input_values [1,16000] f32, batch.input_values [2,16000] f32,
                                     batch.attention_mask [2,16000] int64 (1 = valid; lengths 16000, 11000)
  <variant>/                         one Hugging Face Wav2Vec2ForCTC model directory per variant,
                                     variant = {group,layer}_{postln,stableln}_{nobias,bias}
      config.json                    HF Wav2Vec2Config-style (transformers 4.40 key set)
      model.safetensors              fp32, HF Wav2Vec2ForCTC key names, NEW weight-norm names
                                     (...pos_conv_embed.conv.parametrizations.weight.original0/1)
      pytorch_model.bin              torch.save(state_dict) (torch 1.13 zip format), same tensors,
                                     OLD weight-norm names (...pos_conv_embed.conv.weight_g/_v)
      vocab.json, tokenizer_config.json, special_tokens_map.json, preprocessor_config.json
      activations.safetensors        reference activations from torchaudio (see KEYS below)
  pretraining_group_postln/          HF Wav2Vec2ForPreTraining directory (body = group_postln_nobias
                                     weights + random quantizer / project_hid / project_q) and
                                     activations.safetensors with the quantizer reference outputs
  dtypes/                            layer_stableln_bias weights cast to fp16 / bf16, as
                                     model_fp16.safetensors, model_bf16.safetensors,
                                     pytorch_model_fp16.bin, pytorch_model_bf16.bin

Reference implementation: torchaudio.models.wav2vec2_model(...) (torchaudio's own, independent
re-implementation of fairseq wav2vec 2.0). torchaudio has no quantizer, so the pre-training head
outputs are computed with a few lines of plain PyTorch that follow HF's eval-mode
Wav2Vec2GumbelVectorQuantizer (hard argmax one-hot).

Activation keys (per-variant activations.safetensors), for P in {single, batch} (fp32 unless noted);
the inputs (P.input_values, batch.attention_mask) live in the shared inputs.safetensors and are fed
to the model as-is (NOT normalised by a feature extractor); torchaudio gets lengths = mask.sum(-1):
  P.feature_extractor   [B,32,T]      raw conv-stack output, channels first (HF extract_features
                                      before the transpose)
  P.extract_features    [B,T,32]      after feature_projection.layer_norm (HF extract_features output)
  P.feature_projection  [B,T,hidden]  after feature_projection.projection (padded frames NOT zeroed)
  P.pos_conv_embed      [B,T,hidden]  pos-conv block alone (conv, drop last frame, GELU) applied to
                                      the projected states with padded frames zeroed
  P.encoder.layers.{i}  [B,T,hidden]  output of transformer layer i (stable-LN: before final LN)
  P.last_hidden_state   [B,T,hidden]  encoder output (stable-LN: after encoder.layer_norm)
  P.logits              [B,T,vocab]
  P.output_lengths      [B] int64     frame lengths returned by torchaudio
Padded frames are included in all tensors; they are well defined (keys masked additively, queries
not), so they can be compared too.

How to run (from the repository root):
  /usr/bin/python3 tools/reference/make_fixtures.py
Requires Debian's python3-torch / python3-torchaudio (written with torch 1.13.1 (reports
1.13.0a0), torchaudio 0.13.1, numpy). No transformers / safetensors packages are needed: the
safetensors files are written (and read back for the self-check) by hand.
Output is deterministic: rerunning yields byte-identical files.

Checks performed: full torchaudio model logits == logits composed from its sub-modules; last layer
(+ final LN for stable-LN) == encoder output; batch row 0 (= the single clip, unpadded) reproduces
the single outputs; effective pos-conv weight g*v/||v|| == torchaudio's
conv weight; every safetensors / .bin file is read back (own reader / torch.load) and compared with
the state dict it was written from; the quantizer reference is cross-checked against an
independent gather-based formulation.
"""

import collections
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torchaudio

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(REPO, "tests", "fixtures", "parity")

# ----------------------------------------------------------------------------------------------
# Geometry
CONV = [(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32, 2, 2)] * 2
HIDDEN = 32
LAYERS = 2
HEADS = 4
FFN = 64
POS_K = 16
POS_G = 4
VOCAB = 12
LN_EPS = 1e-5
# pre-training head
NUM_GROUPS = 2
NUM_VARS = 8
CODEVECTOR_DIM = 16
PROJ_CODEVECTOR_DIM = 16

INPUT_SEED = 1234
SINGLE_LEN = 16000
BATCH_LENS = [16000, 11000]
PRETRAIN_SEED = 777

VOCAB_TOKENS = ["<pad>", "<s>", "</s>", "<unk>", "|", "E", "T", "A", "O", "N", "I", "H"]
assert len(VOCAB_TOKENS) == VOCAB

VARIANTS = []
_seed = 100
for _ext in ("group", "layer"):
    for _enc in ("postln", "stableln"):
        for _bias in ("nobias", "bias"):
            VARIANTS.append(
                dict(
                    name=f"{_ext}_{_enc}_{_bias}",
                    feat_extract_norm=_ext,
                    do_stable_layer_norm=(_enc == "stableln"),
                    conv_bias=(_bias == "bias"),
                    seed=_seed,
                )
            )
            _seed += 1

TOLERANCES_FP32 = {
    "feature_extractor": {"atol": 1e-5, "rtol": 1e-5},
    "extract_features": {"atol": 1e-5, "rtol": 1e-5},
    "feature_projection": {"atol": 1e-5, "rtol": 1e-5},
    "pos_conv_embed": {"atol": 1e-5, "rtol": 1e-5},
    "encoder.layers.*": {"atol": 5e-5, "rtol": 1e-5},
    "last_hidden_state": {"atol": 5e-5, "rtol": 1e-5},
    "logits": {"atol": 1e-4, "rtol": 1e-5},
    "output_lengths": {"exact": True},
    "quantized_features": {"atol": 1e-5, "rtol": 1e-5},
    "projected_quantized_states": {"atol": 1e-5, "rtol": 1e-5},
    "projected_states": {"atol": 1e-4, "rtol": 1e-5},
    "codevector_perplexity": {"atol": 1e-5, "rtol": 1e-5},
    "codevector_idx": {"exact": True},
}


# ----------------------------------------------------------------------------------------------
# safetensors writer / reader (hand-written; no safetensors package)
_ST_DTYPES = {
    torch.float32: ("F32", 4),
    torch.float16: ("F16", 2),
    torch.bfloat16: ("BF16", 2),
    torch.int64: ("I64", 8),
    torch.int32: ("I32", 4),
    torch.uint8: ("U8", 1),
    torch.bool: ("BOOL", 1),
}
_ST_NP = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32, "U8": np.uint8, "BOOL": np.bool_}


def _tensor_bytes(t):
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    arr = t.numpy()
    return arr.astype(arr.dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    """tensors: dict name -> torch.Tensor. Tensors are laid out in sorted-name order."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        dt, _ = _ST_DTYPES[t.dtype]
        b = _tensor_bytes(t)
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    header["__metadata__"] = dict(metadata or {"format": "pt"})
    hjson = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Own minimal reader: returns (dict name -> torch.Tensor, metadata)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    covered = 0
    for name, info in header.items():
        s, e = info["data_offsets"]
        raw = data[base + s : base + e]
        covered += e - s
        shape = info["shape"]
        if info["dtype"] == "BF16":
            i16 = np.frombuffer(raw, dtype="<i2").copy()
            t = torch.from_numpy(i16).view(torch.bfloat16)
        else:
            arr = np.frombuffer(raw, dtype=np.dtype(_ST_NP[info["dtype"]]).newbyteorder("<")).copy()
            t = torch.from_numpy(arr.astype(_ST_NP[info["dtype"]]))
        out[name] = t.reshape(shape)
    assert covered == len(data) - base, f"{path}: data section not fully covered"
    return out, meta


def save_bin(path, tensors):
    """torch.save of a plain OrderedDict (sorted keys), every tensor with its own compact storage."""
    sd = collections.OrderedDict((k, tensors[k].detach().clone().contiguous()) for k in sorted(tensors))
    torch.save(sd, path)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


# ----------------------------------------------------------------------------------------------
# Model construction / random re-initialisation
def build_model(v):
    model = torchaudio.models.wav2vec2_model(
        extractor_mode=f"{v['feat_extract_norm']}_norm",
        extractor_conv_layer_config=CONV,
        extractor_conv_bias=v["conv_bias"],
        encoder_embed_dim=HIDDEN,
        encoder_projection_dropout=0.0,
        encoder_pos_conv_kernel=POS_K,
        encoder_pos_conv_groups=POS_G,
        encoder_num_layers=LAYERS,
        encoder_num_heads=HEADS,
        encoder_attention_dropout=0.0,
        encoder_ff_interm_features=FFN,
        encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0,
        encoder_layer_norm_first=v["do_stable_layer_norm"],
        encoder_layer_drop=0.0,
        aux_num_out=VOCAB,
    )
    model.eval()
    torch.manual_seed(v["seed"])
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            leaf = name.rsplit(".", 1)[-1]
            owner = model.get_submodule(name.rsplit(".", 1)[0])
            if isinstance(owner, (torch.nn.LayerNorm, torch.nn.GroupNorm)):
                if leaf == "weight":
                    p.copy_(1.0 + 0.1 * torch.randn_like(p))
                else:
                    p.copy_(0.1 * torch.randn_like(p))
            elif leaf == "weight_g":
                p.copy_(torch.empty_like(p).uniform_(0.5, 1.5))
            elif leaf == "weight_v":
                p.copy_(torch.randn_like(p))
            elif leaf == "bias":
                p.copy_(0.1 * torch.randn_like(p))
            elif leaf == "weight":
                # fan-in scaled normal keeps activations O(1); the CNN convs get gain 2 so the group-norm
                # stack (normalised only after conv 0) does not shrink through the GELUs
                fan_in = p[0].numel()
                gain = 2.0 if name.startswith("feature_extractor.") else 1.0
                p.copy_(torch.randn_like(p) * (gain / math.sqrt(fan_in)))
            else:
                raise RuntimeError(f"unhandled parameter {name}")
    return model


def hf_body_state(model, new_weight_norm_names):
    """torchaudio state dict -> HF Wav2Vec2ForCTC state dict (fp32 clones)."""
    out = {}
    for k, t in model.state_dict().items():
        out[hf_key(k, new_weight_norm_names)] = t.detach().clone().contiguous()
    return out


def hf_key(k, new_weight_norm_names):
    """torchaudio wav2vec2_model parameter / state-dict name -> HF name."""
    if k.startswith("feature_extractor."):
        hk = "wav2vec2." + k
    elif k.startswith("encoder.feature_projection."):
        hk = "wav2vec2." + k[len("encoder.") :]
    elif k.startswith("encoder.transformer."):
        hk = "wav2vec2.encoder." + k[len("encoder.transformer.") :]
    elif k.startswith("aux."):
        hk = "lm_head." + k[len("aux.") :]
    else:
        raise RuntimeError(f"unmapped key {k}")
    if new_weight_norm_names:
        hk = hk.replace("pos_conv_embed.conv.weight_g", "pos_conv_embed.conv.parametrizations.weight.original0")
        hk = hk.replace("pos_conv_embed.conv.weight_v", "pos_conv_embed.conv.parametrizations.weight.original1")
    return hk


def hf_config(v, architecture):
    return {
        "activation_dropout": 0.0,
        "adapter_attn_dim": None,
        "adapter_kernel_size": 3,
        "adapter_stride": 2,
        "add_adapter": False,
        "apply_spec_augment": True,
        "architectures": [architecture],
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "classifier_proj_size": 256,
        "codevector_dim": CODEVECTOR_DIM,
        "contrastive_logits_temperature": 0.1,
        "conv_bias": v["conv_bias"],
        "conv_dim": [c[0] for c in CONV],
        "conv_kernel": [c[1] for c in CONV],
        "conv_stride": [c[2] for c in CONV],
        "ctc_loss_reduction": "sum",
        "ctc_zero_infinity": False,
        "diversity_loss_weight": 0.1,
        "do_stable_layer_norm": v["do_stable_layer_norm"],
        "eos_token_id": 2,
        "feat_extract_activation": "gelu",
        "feat_extract_norm": v["feat_extract_norm"],
        "feat_proj_dropout": 0.0,
        "feat_quantizer_dropout": 0.0,
        "final_dropout": 0.0,
        "hidden_act": "gelu",
        "hidden_dropout": 0.0,
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": FFN,
        "layer_norm_eps": LN_EPS,
        "layerdrop": 0.0,
        "mask_feature_length": 10,
        "mask_feature_min_masks": 0,
        "mask_feature_prob": 0.0,
        "mask_time_length": 10,
        "mask_time_min_masks": 2,
        "mask_time_prob": 0.05,
        "model_type": "wav2vec2",
        "num_adapter_layers": 3,
        "num_attention_heads": HEADS,
        "num_codevector_groups": NUM_GROUPS,
        "num_codevectors_per_group": NUM_VARS,
        "num_conv_pos_embedding_groups": POS_G,
        "num_conv_pos_embeddings": POS_K,
        "num_feat_extract_layers": len(CONV),
        "num_hidden_layers": LAYERS,
        "num_negatives": 100,
        "output_hidden_size": HIDDEN,
        "pad_token_id": 0,
        "proj_codevector_dim": PROJ_CODEVECTOR_DIM,
        "tdnn_dilation": [1, 2, 3, 1, 1],
        "tdnn_dim": [512, 512, 512, 512, 1500],
        "tdnn_kernel": [5, 3, 3, 1, 1],
        "torch_dtype": "float32",
        "transformers_version": "4.40.0",
        "use_weighted_layer_sum": False,
        "vocab_size": VOCAB,
        "xvector_output_dim": 512,
    }


def preprocessor_config(v):
    return {
        "do_normalize": True,
        "feature_extractor_type": "Wav2Vec2FeatureExtractor",
        "feature_size": 1,
        "padding_side": "right",
        "padding_value": 0.0,
        "return_attention_mask": v["feat_extract_norm"] == "layer",
        "sampling_rate": 16000,
    }


def write_tokenizer_files(d):
    write_json(os.path.join(d, "vocab.json"), {t: i for i, t in enumerate(VOCAB_TOKENS)})
    write_json(
        os.path.join(d, "tokenizer_config.json"),
        {
            "bos_token": "<s>",
            "do_lower_case": False,
            "eos_token": "</s>",
            "model_max_length": 1000000000000000019884624838656,
            "pad_token": "<pad>",
            "processor_class": "Wav2Vec2Processor",
            "replace_word_delimiter_char": " ",
            "tokenizer_class": "Wav2Vec2CTCTokenizer",
            "unk_token": "<unk>",
            "word_delimiter_token": "|",
        },
    )
    write_json(
        os.path.join(d, "special_tokens_map.json"),
        {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"},
    )


# ----------------------------------------------------------------------------------------------
# Inputs
def make_inputs():
    """single = randn*0.1; batch row 0 = the single clip (full length, so batch row 0 must reproduce the
    single outputs); batch row 1 = a fresh draw of BATCH_LENS[1] samples, zero-padded."""
    g = torch.Generator().manual_seed(INPUT_SEED)
    single = torch.randn(1, SINGLE_LEN, generator=g) * 0.1
    n = max(BATCH_LENS)
    assert BATCH_LENS[0] == SINGLE_LEN == n
    batch = torch.zeros(len(BATCH_LENS), n)
    mask = torch.zeros(len(BATCH_LENS), n, dtype=torch.int64)
    batch[0] = single[0]
    mask[0] = 1
    for i, L in enumerate(BATCH_LENS[1:], start=1):
        batch[i, :L] = torch.randn(L, generator=g) * 0.1
        mask[i, :L] = 1
    return single, batch, mask


# ----------------------------------------------------------------------------------------------
# Reference activations from torchaudio's modules
@torch.no_grad()
def reference_activations(model, prefix, wave, lengths, stable):
    acts = {}
    fe = model.feature_extractor
    enc = model.encoder
    tr = enc.transformer

    feats, out_len = fe(wave, lengths)  # [B,T,C], lengths after the conv formula (or None)
    B, T, _ = feats.shape
    acts["feature_extractor"] = feats.transpose(1, 2).contiguous()  # [B,C,T]

    normed = enc.feature_projection.layer_norm(feats)
    acts["extract_features"] = normed.clone()
    proj = enc.feature_projection(feats)  # fresh tensor, not zeroed
    assert torch.equal(proj, enc.feature_projection.projection(normed))
    acts["feature_projection"] = proj.clone()

    # torchaudio's encoder preprocessing: zero padded frames (in place) + additive key mask
    x, attn_mask = enc._preprocess(feats, out_len)
    if out_len is not None:
        valid = torch.arange(T)[None, :] < out_len[:, None]
        assert torch.equal(x, proj * valid[..., None])
    else:
        assert torch.equal(x, proj)
    acts["pos_conv_embed"] = tr.pos_conv_embed(x).clone()

    layer_outs = tr.get_intermediate_outputs(x, attention_mask=attn_mask)
    assert len(layer_outs) == LAYERS
    for i, lo in enumerate(layer_outs):
        acts[f"encoder.layers.{i}"] = lo.clone()

    last = enc(feats, out_len)
    expect_last = tr.layer_norm(layer_outs[-1]) if stable else layer_outs[-1]
    assert torch.allclose(last, expect_last, atol=1e-6, rtol=0), "final LN composition mismatch"
    acts["last_hidden_state"] = last.clone()
    logits = model.aux(last)
    acts["logits"] = logits.clone()

    full_logits, full_len = model(wave, lengths)
    assert torch.equal(full_logits, logits), "full model logits != composed logits"
    if lengths is not None:
        assert torch.equal(full_len, out_len)
        acts["output_lengths"] = out_len.to(torch.int64).clone()
    else:
        acts["output_lengths"] = torch.full((B,), T, dtype=torch.int64)

    # effective pos-conv weight g * v / ||v|| (norm over dims 0,1 per kernel index)
    g = tr.pos_conv_embed.conv.weight_g
    vv = tr.pos_conv_embed.conv.weight_v
    w_eff = g * vv / vv.norm(dim=(0, 1), keepdim=True)
    assert torch.allclose(w_eff, tr.pos_conv_embed.conv.weight, atol=1e-6), "weight-norm formula mismatch"

    return {f"{prefix}.{k}": v for k, v in acts.items()}


# ----------------------------------------------------------------------------------------------
# Pre-training head (HF Wav2Vec2ForPreTraining, eval mode), plain PyTorch
def make_pretraining_params(seed=PRETRAIN_SEED):
    g = torch.Generator().manual_seed(seed)
    gv = NUM_GROUPS * NUM_VARS
    p = {
        "quantizer.codevectors": torch.randn(1, gv, CODEVECTOR_DIM // NUM_GROUPS, generator=g),
        "quantizer.weight_proj.weight": torch.randn(gv, CONV[-1][0], generator=g) / math.sqrt(CONV[-1][0]),
        "quantizer.weight_proj.bias": 0.1 * torch.randn(gv, generator=g),
        "project_hid.weight": torch.randn(PROJ_CODEVECTOR_DIM, HIDDEN, generator=g) / math.sqrt(HIDDEN),
        "project_hid.bias": 0.1 * torch.randn(PROJ_CODEVECTOR_DIM, generator=g),
        "project_q.weight": torch.randn(PROJ_CODEVECTOR_DIM, CODEVECTOR_DIM, generator=g)
        / math.sqrt(CODEVECTOR_DIM),
        "project_q.bias": 0.1 * torch.randn(PROJ_CODEVECTOR_DIM, generator=g),
    }
    return p


@torch.no_grad()
def pretraining_activations(p, prefix, extract_features, last_hidden, frame_mask):
    """HF Wav2Vec2GumbelVectorQuantizer eval path + project_q / project_hid.
    frame_mask: [B,T] bool of valid frames, or None (plain mean over all frames)."""
    B, T, _ = extract_features.shape
    G, V = NUM_GROUPS, NUM_VARS
    logits = torch.nn.functional.linear(
        extract_features, p["quantizer.weight_proj.weight"], p["quantizer.weight_proj.bias"]
    )
    logits = logits.view(B * T * G, V)
    idx = logits.argmax(dim=-1)
    top2 = logits.topk(2, dim=-1).values
    margin = (top2[:, 0] - top2[:, 1]).min().item()
    assert margin > 1e-3, f"argmax too close to a tie ({margin}); codevector_idx would be fragile"
    probs = logits.new_zeros(logits.shape).scatter_(-1, idx.view(-1, 1), 1.0)
    probs = probs.view(B * T, G, V)

    def perplexity(pr, mask):
        if mask is not None:
            m = mask.flatten()[:, None, None].expand(pr.shape)
            pr = torch.where(m, pr, torch.zeros_like(pr))
            marginal = pr.sum(dim=0) / mask.sum()
        else:
            marginal = pr.mean(dim=0)
        return torch.exp(-torch.sum(marginal * torch.log(marginal + 1e-7), dim=-1)).sum()

    ppl = perplexity(probs, frame_mask)
    cv = probs.view(B * T, G * V).unsqueeze(-1) * p["quantizer.codevectors"]  # [BT, GV, d/G]
    quantized = cv.view(B * T, G, V, -1).sum(-2).view(B, T, -1)

    # independent cross-check: gather the selected codevector rows directly
    idx_btg = idx.view(B, T, G)
    book = p["quantizer.codevectors"][0].view(G, V, -1)
    gathered = torch.stack([book[gi][idx_btg[..., gi]] for gi in range(G)], dim=2).reshape(B, T, -1)
    assert torch.allclose(gathered, quantized, atol=0, rtol=0) or torch.allclose(gathered, quantized, atol=1e-7)

    acts = {
        "quantized_features": quantized.contiguous(),
        "projected_quantized_states": torch.nn.functional.linear(
            quantized, p["project_q.weight"], p["project_q.bias"]
        ),
        "projected_states": torch.nn.functional.linear(last_hidden, p["project_hid.weight"], p["project_hid.bias"]),
        "codevector_perplexity": ppl.reshape(()).to(torch.float32),
        "codevector_idx": idx_btg.to(torch.int64).contiguous(),
        "extract_features": extract_features.clone(),
        "last_hidden_state": last_hidden.clone(),
    }
    if frame_mask is not None:
        acts["codevector_perplexity_all_frames"] = perplexity(probs, None).reshape(()).to(torch.float32)
    return {f"{prefix}.{k}": v for k, v in acts.items()}


# ----------------------------------------------------------------------------------------------
def check_roundtrip_safetensors(path, expected):
    got, meta = read_safetensors(path)
    assert set(got) == set(expected), f"{path}: key mismatch {set(got) ^ set(expected)}"
    for k, t in expected.items():
        g = got[k]
        assert g.dtype == t.dtype and list(g.shape) == list(t.shape), f"{path}:{k} dtype/shape"
        assert torch.equal(g, t.detach().cpu()), f"{path}:{k} values"
    assert meta == {"format": "pt"}


def check_roundtrip_bin(path, expected):
    got = torch.load(path, map_location="cpu")
    assert set(got) == set(expected), f"{path}: key mismatch"
    for k, t in expected.items():
        assert got[k].dtype == t.dtype and torch.equal(got[k], t), f"{path}:{k}"


def describe(tensors):
    return {k: {"dtype": _ST_DTYPES[t.dtype][0], "shape": list(t.shape)} for k, t in sorted(tensors.items())}


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)

    single, batch, batch_mask = make_inputs()
    batch_lengths = batch_mask.sum(-1)
    inputs = {"single.input_values": single, "batch.input_values": batch, "batch.attention_mask": batch_mask}
    write_safetensors(os.path.join(OUT, "inputs.safetensors"), inputs)
    check_roundtrip_safetensors(os.path.join(OUT, "inputs.safetensors"), inputs)

    manifest = {
        "generator": "tools/reference/make_fixtures.py",
        "reference": "torchaudio.models.wav2vec2_model (independent re-implementation of fairseq wav2vec 2.0)",
        "python": sys.version.split()[0],
        "torch_version": torch.__version__,
        "torchaudio_version": torchaudio.__version__,
        "numpy_version": np.__version__,
        "geometry": {
            "conv_layers_dim_kernel_stride": [list(c) for c in CONV],
            "total_stride": int(np.prod([c[2] for c in CONV])),
            "hidden_size": HIDDEN,
            "num_hidden_layers": LAYERS,
            "num_attention_heads": HEADS,
            "intermediate_size": FFN,
            "num_conv_pos_embeddings": POS_K,
            "num_conv_pos_embedding_groups": POS_G,
            "vocab_size": VOCAB,
            "layer_norm_eps": LN_EPS,
        },
        "inputs": {
            "seed": INPUT_SEED,
            "file": "inputs.safetensors (shared by every variant and the pre-training dir; stored once to "
            "keep the fixtures small)",
            "keys": describe(inputs),
            "note": "randn*0.1 from torch.Generator(seed); single = first draw (1x16000); batch row 0 = the "
            "single clip (so batch row 0 outputs equal single outputs up to fp32 noise), row 1 = next "
            "11000 draws zero-padded to 16000; attention_mask 1 = valid sample",
            "single_length": SINGLE_LEN,
            "batch_lengths": BATCH_LENS,
        },
        "init": "torch.manual_seed(variant seed), parameters visited in sorted name order: Linear "
        "weight N(0,1)/sqrt(fan_in), CNN conv weight 2*N(0,1)/sqrt(fan_in); biases 0.1*N(0,1); LayerNorm/GroupNorm weight 1+0.1*N(0,1), "
        "bias 0.1*N(0,1); pos-conv weight_g U(0.5,1.5), weight_v N(0,1); masked_spec_embed U(0,1)",
        "variants": [],
        "tolerances_fp32": TOLERANCES_FP32,
        "notes": [
            "batch: torchaudio gets lengths = attention_mask.sum(-1); its CNN runs over the whole padded "
            "input (no masking inside the CNN, same as HF), so group-norm statistics include the padding "
            "zeros; frames >= output_lengths are zeroed after the projection and masked as attention keys "
            "(torchaudio adds -10000, HF finfo.min: identical in fp32).",
            "HF semantics for the batch fixtures = calling the model WITH attention_mask, also for "
            "feat_extract_norm=group variants.",
            "feature_projection is the projection output before padded frames are zeroed (HF's "
            "Wav2Vec2FeatureProjection output); pos_conv_embed is computed on the zeroed states.",
            "encoder.layers.{i} are raw layer outputs; for stable-LN the last one is before encoder.layer_norm, "
            "last_hidden_state after it. For post-LN, last_hidden_state == encoder.layers.<last>.",
            "model.safetensors uses the new weight-norm names (parametrizations.weight.original0 = g "
            "[1,1,K], original1 = v); pytorch_model.bin uses weight_g / weight_v.",
            "codevector_perplexity is a 0-dim tensor (safetensors shape []).",
        ],
    }

    for v in VARIANTS:
        d = os.path.join(OUT, v["name"])
        os.makedirs(d, exist_ok=True)
        model = build_model(v)

        # masked_spec_embed: drawn right after the model init, from the same generator stream
        mse = torch.empty(HIDDEN).uniform_(0.0, 1.0)

        sd_new = hf_body_state(model, new_weight_norm_names=True)
        sd_old = hf_body_state(model, new_weight_norm_names=False)
        sd_new["wav2vec2.masked_spec_embed"] = mse.clone()
        sd_old["wav2vec2.masked_spec_embed"] = mse.clone()

        write_json(os.path.join(d, "config.json"), hf_config(v, "Wav2Vec2ForCTC"))
        write_json(os.path.join(d, "preprocessor_config.json"), preprocessor_config(v))
        write_tokenizer_files(d)
        write_safetensors(os.path.join(d, "model.safetensors"), sd_new)
        save_bin(os.path.join(d, "pytorch_model.bin"), sd_old)
        check_roundtrip_safetensors(os.path.join(d, "model.safetensors"), sd_new)
        check_roundtrip_bin(os.path.join(d, "pytorch_model.bin"), sd_old)

        stable = v["do_stable_layer_norm"]
        acts = reference_activations(model, "single", single.clone(), None, stable)
        acts.update(reference_activations(model, "batch", batch.clone(), batch_lengths.clone(), stable))
        # batch row 0 is the single clip without padding -> must reproduce the single outputs
        for k in list(acts):
            if k.startswith("single.") and k != "single.output_lengths":
                bk = "batch." + k[len("single."):]
                assert torch.allclose(acts[bk][0], acts[k][0], atol=1e-5, rtol=1e-5), f"batch row 0 != single: {k}"
        write_safetensors(os.path.join(d, "activations.safetensors"), acts)
        check_roundtrip_safetensors(os.path.join(d, "activations.safetensors"), acts)

        manifest["variants"].append(
            {
                "name": v["name"],
                "dir": v["name"],
                "feat_extract_norm": v["feat_extract_norm"],
                "do_stable_layer_norm": v["do_stable_layer_norm"],
                "conv_bias": v["conv_bias"],
                "seed": v["seed"],
                "architecture": "Wav2Vec2ForCTC",
                "single_T": int(acts["single.logits"].shape[1]),
                "batch_T": int(acts["batch.logits"].shape[1]),
                "batch_output_lengths": acts["batch.output_lengths"].tolist(),
            }
        )
        if v["name"] == "layer_stableln_bias":
            manifest["model_keys"] = describe(sd_new)
            manifest["activation_keys"] = describe(acts)
            dtype_src = (sd_new, sd_old)
        if v["name"] == "group_postln_nobias":
            pt_src = (v, sd_new, acts)
        print(f"{v['name']}: single T={acts['single.logits'].shape[1]}, "
              f"batch T={acts['batch.logits'].shape[1]} lengths={acts['batch.output_lengths'].tolist()}")

    # ---------------- pre-training directory ----------------
    v, sd_body, acts = pt_src
    d = os.path.join(OUT, "pretraining_group_postln")
    os.makedirs(d, exist_ok=True)
    pparams = make_pretraining_params()
    sd_pt = {k: t for k, t in sd_body.items() if not k.startswith("lm_head.")}
    sd_pt.update({k: t.clone() for k, t in pparams.items()})
    write_json(os.path.join(d, "config.json"), hf_config(v, "Wav2Vec2ForPreTraining"))
    write_json(os.path.join(d, "preprocessor_config.json"), preprocessor_config(v))
    write_safetensors(os.path.join(d, "model.safetensors"), sd_pt)
    check_roundtrip_safetensors(os.path.join(d, "model.safetensors"), sd_pt)
    T = acts["batch.extract_features"].shape[1]
    frame_mask = torch.arange(T)[None, :] < acts["batch.output_lengths"][:, None]
    pacts = pretraining_activations(
        pparams, "single", acts["single.extract_features"], acts["single.last_hidden_state"], None
    )
    pacts.update(
        pretraining_activations(
            pparams, "batch", acts["batch.extract_features"], acts["batch.last_hidden_state"], frame_mask
        )
    )
    pacts["batch.output_lengths"] = acts["batch.output_lengths"].clone()
    write_safetensors(os.path.join(d, "activations.safetensors"), pacts)
    check_roundtrip_safetensors(os.path.join(d, "activations.safetensors"), pacts)
    manifest["pretraining"] = {
        "dir": "pretraining_group_postln",
        "architecture": "Wav2Vec2ForPreTraining",
        "body": "group_postln_nobias (same wav2vec2.* tensors, no lm_head)",
        "head_seed": PRETRAIN_SEED,
        "head_init": "torch.Generator(seed), in key order codevectors N(0,1); weight_proj W N(0,1)/sqrt(32), "
        "b 0.1*N; project_hid W N(0,1)/sqrt(hidden), b 0.1*N; project_q W N(0,1)/sqrt(16), b 0.1*N",
        "inputs": "../inputs.safetensors (same as every variant)",
        "semantics": "HF Wav2Vec2GumbelVectorQuantizer eval: weight_proj(extract_features) -> [B*T*G, V] -> "
        "hard one-hot of argmax -> per-group sum of codevectors -> [B,T,codevector_dim]; "
        "perplexity = sum_g exp(-sum_v pbar log(pbar+1e-7)), pbar = mean one-hot over all frames (single) "
        "or over valid frames only (batch; = HF with mask_time_indices = frame attention mask). "
        "batch.codevector_perplexity_all_frames = HF with no mask (mean over all B*T frames incl. padding).",
        "model_keys": describe({k: t for k, t in sd_pt.items() if not k.startswith("wav2vec2.")}),
        "activation_keys": describe(pacts),
        "single_codevector_perplexity": float(pacts["single.codevector_perplexity"]),
        "batch_codevector_perplexity": float(pacts["batch.codevector_perplexity"]),
    }

    # ---------------- dtype directory ----------------
    sd_new, sd_old = dtype_src
    d = os.path.join(OUT, "dtypes")
    os.makedirs(d, exist_ok=True)
    for tag, dt in (("fp16", torch.float16), ("bf16", torch.bfloat16)):
        cast_new = {k: t.to(dt) for k, t in sd_new.items()}
        cast_old = {k: t.to(dt) for k, t in sd_old.items()}
        write_safetensors(os.path.join(d, f"model_{tag}.safetensors"), cast_new)
        save_bin(os.path.join(d, f"pytorch_model_{tag}.bin"), cast_old)
        check_roundtrip_safetensors(os.path.join(d, f"model_{tag}.safetensors"), cast_new)
        check_roundtrip_bin(os.path.join(d, f"pytorch_model_{tag}.bin"), cast_old)
    manifest["dtypes"] = {
        "dir": "dtypes",
        "source": "layer_stableln_bias (fp32 model.safetensors / pytorch_model.bin); each tensor cast with "
        "torch .to(dtype) (round-to-nearest-even), so converting the stored values back to fp32 must equal "
        "fp32_source.to(dtype).to(float32) exactly",
        "files": {
            "model_fp16.safetensors": "F16, new weight-norm names",
            "model_bf16.safetensors": "BF16, new weight-norm names",
            "pytorch_model_fp16.bin": "torch.float16, weight_g/weight_v names",
            "pytorch_model_bf16.bin": "torch.bfloat16, weight_g/weight_v names",
        },
    }

    write_json(os.path.join(OUT, "fixtures.json"), manifest)
    print("all checks passed; fixtures written to", OUT)


if __name__ == "__main__":
    main()
