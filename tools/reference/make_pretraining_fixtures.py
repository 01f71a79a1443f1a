#!/usr/bin/python3
"""Pre-training-loss fixture generator for Wav2Vec2Sharp.

Pins down, for FIXED weights, input, span mask, negative indices and Gumbel noise, the wav2vec 2.0
pre-training loss terms and every parameter gradient, computed by an independent plain-PyTorch
implementation of HF `Wav2Vec2ForPreTraining`'s train-mode loss plus fairseq's feature penalty and
feature_grad_mult (GradMultiply), with torchaudio's wav2vec2 modules as the body. transformers is NOT
used (not installed).

What it writes (under tests/fixtures/pretraining_loss/, relative to the repository root):

  <case>/config.json         HF Wav2Vec2Config (architectures ["Wav2Vec2ForPreTraining"], num_negatives 5,
                             every dropout and layerdrop 0.0, mask_time_prob 0.05, diversity_loss_weight 0.1,
                             contrastive_logits_temperature 0.1)
  <case>/model.safetensors   fp32 HF Wav2Vec2ForPreTraining weights (new weight-norm names
                             ...pos_conv_embed.conv.parametrizations.weight.original0/1)
  <case>/reference.safetensors  fixed loss inputs, loss terms, logits, gradients, AdamW losses (see README.md
                             in that folder for the key list)
  cases:
    group_postln    = tests/fixtures/parity/pretraining_group_postln/model.safetensors, unchanged
                      (group-norm CNN, no conv bias, post-LN encoder)
    layer_stableln  = tests/fixtures/parity/layer_stableln_bias body (layer-norm CNN, conv bias, stable-LN
                      encoder, incl. masked_spec_embed) + a random pre-training head
                      (make_fixtures.make_pretraining_params(seed=HEAD_SEED_STABLELN))

The model inputs are NOT duplicated (to keep the fixtures < 1 MB): they are
tests/fixtures/parity/inputs.safetensors `batch.input_values` [2,16000] f32 and `batch.attention_mask`
[2,16000] i64 (lengths 16000 / 11000 -> 49 / 34 frames). reference.safetensors carries `input_lengths`
and `frame_lengths` and the sha256 of that file in its metadata.

Semantics (HF modeling_wav2vec2 + fairseq; train mode, every dropout 0):
  1. cnn = feature_extractor(input_values) (torchaudio, runs over the padded input); cnn = GradMultiply(cnn, m)
     (fairseq: identity forward, gradient * m); feature_penalty = cnn.float().pow(2).mean() over all B*T*C
     elements (padded frames included).
  2. extract_features = feature_projection.layer_norm(cnn); hidden = feature_projection.projection(...).
  3. hidden[mask_time_indices] = masked_spec_embed; frames >= frame_length zeroed and masked as attention keys
     (-10000 additive, torchaudio; == HF finfo.min after softmax); torchaudio transformer -> last_hidden_state.
  4. quantizer (HF Wav2Vec2GumbelVectorQuantizer, train): logits = weight_proj(extract_features).view(B*T*G, V);
     y_soft = softmax((logits.float() + gumbel_noise) / tau); y = one_hot(argmax y_soft) - y_soft.detach() + y_soft
     (= F.gumbel_softmax(hard=True) with the stored noise); perplexity of softmax(logits.float()) (no noise)
     averaged over the masked frames only; codevectors = per-group sum of y * quantizer.codevectors;
     quantized = project_q(codevectors); transformer_features = project_hid(last_hidden_state).
  5. negatives = quantized.view(B*T,-1)[sampled_negative_indices.view(-1)].view(B,T,K,-1).permute(2,0,1,3);
     contrastive_logits = cosine_similarity(transformer_features.float(), cat([quantized[None], negatives]).float(),
     -1) / 0.1 -> [K+1,B,T]; where (quantized == negative).all(-1): logit = -inf; contrastive_loss =
     cross_entropy(logits.transpose(0,2).reshape(-1,K+1), target 0 at masked frames / -100 elsewhere,
     reduction="sum").
  6. diversity_loss = (G*V - perplexity)/(G*V) * num_masked;
     loss = contrastive_loss + 0.1 * diversity_loss + feature_penalty_weight * feature_penalty * num_masked.
  grad.<hf key> = d loss / d parameter for every parameter of model.safetensors.
  adamw_losses = [loss before step 1, loss after step 1, 2, 3] of torch.optim.AdamW(all parameters, lr 1e-3,
  betas (0.9, 0.98), eps 1e-6, weight_decay 0.01) on the same batch / mask / negatives / noise.

The whole computation is also run in float64 (same fp32-valued weights / inputs / noise promoted) to measure the
fp32 rounding noise; the measured fp32-vs-fp64 discrepancies are printed per case ("discrepancy") and were copied
into tests/fixtures/pretraining_loss/README.md by hand. The gradient is also checked against fp64 central finite
differences. Debian's torch 1.13.1 has a float32 GELU-backward bug (non-contiguous incoming gradient); main()
installs a same-math work-around (install_gelu_workaround) before anything runs.

How to run (from the repository root):
  /usr/bin/python3 tools/reference/make_pretraining_fixtures.py
Debian python3-torch 1.13.1 / python3-torchaudio 0.13.1 / numpy; one CPU thread; deterministic (rerunning
yields byte-identical files).
"""

import hashlib
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (safetensors I/O, torchaudio model builder, HF key mapping)

REPO = mf.REPO
PARITY = os.path.join(REPO, "tests", "fixtures", "parity")
OUT = os.path.join(REPO, "tests", "fixtures", "pretraining_loss")
INPUTS_FILE = os.path.join(PARITY, "inputs.safetensors")

G = mf.NUM_GROUPS
V = mf.NUM_VARS
K = 5  # num_negatives
GUMBEL_TEMPERATURE = 2.0
FEATURE_GRAD_MULT = 0.1
FEATURE_PENALTY_WEIGHT = 10.0
DIVERSITY_LOSS_WEIGHT = 0.1
LOGIT_TEMPERATURE = 0.1
MASK_LENGTH = 10
MASK_SPAN_STARTS = [[2, 9, 30], [4, 20]]  # row 0: spans 2 and 9 overlap; row 1 has 34 valid frames
HEAD_SEED_STABLELN = 778
NOISE_SEED0 = 5000  # first seed tried for the Gumbel noise (per case, first one that passes the checks)
NEG_SEED0 = 6000  # first seed tried for the negative indices
ARGMAX_MARGIN = 1e-2  # min top-1 minus top-2 of (logits + noise) over every row (fp32 and fp64 must agree)
ADAMW = dict(lr=1e-3, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.01)
ADAMW_STEPS = 3

CASES = [
    dict(
        name="group_postln",
        config=os.path.join(PARITY, "pretraining_group_postln", "config.json"),
        weights=os.path.join(PARITY, "pretraining_group_postln", "model.safetensors"),
        head_seed=None,
        source="tests/fixtures/parity/pretraining_group_postln (body = group_postln_nobias, head seed "
        f"{mf.PRETRAIN_SEED}), weights unchanged",
    ),
    dict(
        name="layer_stableln",
        config=os.path.join(PARITY, "layer_stableln_bias", "config.json"),
        weights=os.path.join(PARITY, "layer_stableln_bias", "model.safetensors"),
        head_seed=HEAD_SEED_STABLELN,
        source="tests/fixtures/parity/layer_stableln_bias body (lm_head dropped) + "
        f"make_fixtures.make_pretraining_params(seed={HEAD_SEED_STABLELN})",
    ),
]

HEAD_KEYS = [
    "wav2vec2.masked_spec_embed",
    "quantizer.codevectors",
    "quantizer.weight_proj.weight",
    "quantizer.weight_proj.bias",
    "project_hid.weight",
    "project_hid.bias",
    "project_q.weight",
    "project_q.bias",
]


# ----------------------------------------------------------------------------------------------
class GradMultiply(torch.autograd.Function):
    """fairseq.modules.GradMultiply: identity forward (exact copy), gradient multiplied by `scale`."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


class _ContiguousGrad(torch.autograd.Function):
    """Identity whose backward hands on a contiguous gradient."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad.contiguous()


_TORCH_GELU = torch.nn.functional.gelu


def _safe_gelu(x, approximate="none"):
    """Work-around for a bug of Debian's torch 1.13.1 (CPU, float32): GeluBackward returns garbage when its input
    is contiguous but the incoming gradient is not (e.g. torchaudio's conv blocks, whose output is transposed to
    [B,T,C]; also the pos-conv block). Same math; both operands are made contiguous."""
    return _ContiguousGrad.apply(_TORCH_GELU(x.contiguous(), approximate=approximate))


def install_gelu_workaround():
    torch.nn.functional.gelu = _safe_gelu  # torchaudio's components call (torch.)nn.functional.gelu at run time


class PretrainingModel(torch.nn.Module):
    """torchaudio body + HF pre-training head as plain parameters; `params` maps HF name -> Parameter."""

    def __init__(self, cfg, sd):
        super().__init__()
        v = dict(
            feat_extract_norm=cfg["feat_extract_norm"],
            do_stable_layer_norm=cfg["do_stable_layer_norm"],
            conv_bias=cfg["conv_bias"],
            seed=0,
        )
        body = mf.build_model(v)  # random init, overwritten below
        body.aux = None  # no lm_head in a pre-training model
        ta_sd = body.state_dict()
        hf2ta = {mf.hf_key(k, True): k for k in ta_sd}
        load = {}
        for hk, tk in hf2ta.items():
            load[tk] = sd[hk]
        body.load_state_dict(load, strict=True)
        self.body = body
        self.head = torch.nn.ParameterDict(
            {k.replace(".", "__"): torch.nn.Parameter(sd[k].clone()) for k in HEAD_KEYS}
        )
        assert set(hf2ta) | set(HEAD_KEYS) == set(sd), set(sd) ^ (set(hf2ta) | set(HEAD_KEYS))
        self.hf2ta = hf2ta
        self.eval()  # all dropouts / layerdrop are 0: train == eval for the body; eval avoids torchaudio's rand()

    def named_hf_parameters(self):
        out = {}
        for tk, p in self.body.named_parameters():
            out[mf.hf_key(tk, True)] = p
        for k in HEAD_KEYS:
            out[k] = self.head[k.replace(".", "__")]
        return dict(sorted(out.items()))

    def h(self, k):
        return self.head[k.replace(".", "__")]


def forward_loss(model, wave, attn, mask_time, neg_idx, noise, fgm=FEATURE_GRAD_MULT, pen_w=FEATURE_PENALTY_WEIGHT,
                 frozen=None):
    """Returns dict of every intermediate; `loss` is differentiable. Compute dtype = dtype of the weights
    (fp32: exactly HF's `.float()` casts; fp64: everything in float64).
    frozen = (y_hard0, y_soft0, neg_is_pos0) -> surrogate y = y_hard0 - y_soft0 + y_soft(theta) and a fixed
    -inf pattern: equal to the loss at theta0 and differentiable there with the straight-through gradient as its
    true derivative (used for the finite-difference check)."""
    body = model.body
    fe, enc = body.feature_extractor, body.encoder
    tr = enc.transformer
    dt = wave.dtype
    lengths = attn.sum(-1)

    cnn, frame_len = fe(wave, lengths)  # [B,T,C] (torchaudio returns channels-last)
    cnn = GradMultiply.apply(cnn, fgm)
    feature_penalty = cnn.pow(2).mean()
    B, T, _ = cnn.shape

    extract_features = enc.feature_projection.layer_norm(cnn)
    hidden = enc.feature_projection.projection(extract_features)
    hidden = torch.where(mask_time[..., None], model.h("wav2vec2.masked_spec_embed").to(dt), hidden)
    valid = torch.arange(T)[None, :] < frame_len[:, None]
    hidden = torch.where(valid[..., None], hidden, torch.zeros_like(hidden))
    key_mask = (-10000.0 * (~valid)[:, None, None, :].to(dt)).expand(B, 1, T, T)
    last_hidden = tr(hidden, attention_mask=key_mask)

    # quantizer (HF Wav2Vec2GumbelVectorQuantizer, training branch)
    qlogits = F.linear(extract_features, model.h("quantizer.weight_proj.weight"), model.h("quantizer.weight_proj.bias"))
    qlogits = qlogits.view(B * T * G, V)
    y_soft = torch.softmax((qlogits + noise) / GUMBEL_TEMPERATURE, dim=-1)
    idx = y_soft.argmax(dim=-1)
    y_hard = torch.zeros_like(y_soft).scatter_(-1, idx[:, None], 1.0)
    if frozen is None:
        probs = y_hard - y_soft.detach() + y_soft
    else:
        probs = frozen[0] - frozen[1] + y_soft
    soft = torch.softmax(qlogits.view(B * T, G, V), dim=-1)
    m = mask_time.flatten()[:, None, None].expand(soft.shape)
    marginal = torch.where(m, soft, torch.zeros_like(soft)).sum(dim=0) / mask_time.sum()
    perplexity = torch.exp(-torch.sum(marginal * torch.log(marginal + 1e-7), dim=-1)).sum()
    cv = probs.view(B * T, -1).unsqueeze(-1) * model.h("quantizer.codevectors")
    codevectors = cv.view(B * T, G, V, -1).sum(-2).view(B, T, -1)
    quantized = F.linear(codevectors, model.h("project_q.weight"), model.h("project_q.bias"))
    transformer_features = F.linear(last_hidden, model.h("project_hid.weight"), model.h("project_hid.bias"))

    # contrastive logits / loss (HF compute_contrastive_logits + step 5/6)
    D = quantized.shape[-1]
    negatives = quantized.reshape(B * T, D)[neg_idx.reshape(-1)].view(B, T, K, D).permute(2, 0, 1, 3)
    targets = torch.cat([quantized[None], negatives], dim=0)
    logits = torch.cosine_similarity(transformer_features, targets, dim=-1) / LOGIT_TEMPERATURE
    neg_is_pos = (quantized == negatives).all(-1) if frozen is None else frozen[2]
    logits = torch.cat([logits[:1], logits[1:].masked_fill(neg_is_pos, float("-inf"))], dim=0)
    flat = logits.transpose(0, 2).reshape(-1, K + 1)
    target = ((1 - mask_time.long()) * -100).transpose(0, 1).flatten()
    contrastive = F.cross_entropy(flat, target, reduction="sum")
    num_masked = mask_time.sum()
    gv = G * V
    diversity = (gv - perplexity) / gv * num_masked
    loss = contrastive + DIVERSITY_LOSS_WEIGHT * diversity + pen_w * feature_penalty * num_masked

    with torch.no_grad():
        best = flat.argmax(-1).view(T, B).transpose(0, 1)
        correct = ((best == 0) & mask_time).sum()
        top2 = (qlogits + noise).topk(2, dim=-1).values
        margin = (top2[:, 0] - top2[:, 1]).min()
    return dict(
        loss=loss,
        contrastive_loss=contrastive,
        diversity_loss=diversity,
        feature_penalty=feature_penalty,
        codevector_perplexity=perplexity,
        contrastive_logits=logits,
        neg_is_pos=neg_is_pos,
        correct=correct,
        codevector_idx=idx.view(B, T, G),
        frame_len=frame_len,
        margin=float(margin),
        probs_forward=probs.detach(),
        y_hard=y_hard,
        y_soft=y_soft.detach(),
        quantized=quantized,
        codevectors=codevectors,
        transformer_features=transformer_features,
        cnn=cnn,
    )


# ----------------------------------------------------------------------------------------------
def make_mask(T):
    mask = torch.zeros(len(MASK_SPAN_STARTS), T, dtype=torch.bool)
    for b, starts in enumerate(MASK_SPAN_STARTS):
        for s in starts:
            mask[b, s : s + MASK_LENGTH] = True
    return mask


def make_noise(seed, n):
    g = torch.Generator().manual_seed(seed)
    e = torch.empty(n, V, dtype=torch.float32).exponential_(1.0, generator=g)
    return -torch.log(e)


def sample_negatives(mask, seed):
    """HF _sample_negative_indices semantics: per utterance, for every masked frame K draws uniform with
    replacement over the OTHER masked frames of that utterance (randint(0, n-1), +1 if >= own rank); flat
    indices into B*T (b*T added). Unmasked positions hold 0 (HF would hold b*T; ignored by the loss)."""
    g = torch.Generator().manual_seed(seed)
    B, T = mask.shape
    neg = torch.zeros(B, T, K, dtype=torch.int64)
    for b in range(B):
        pos = torch.nonzero(mask[b]).flatten()
        n = len(pos)
        for r in range(n):
            d = torch.randint(0, n - 1, (K,), generator=g)
            d = d + (d >= r).long()
            neg[b, pos[r]] = pos[d] + b * T
    return neg


def new_model(cfg, sd, dt):
    """A fresh model (weight-norm modules cannot be deep-copied) with parameters cast to dt."""
    return PretrainingModel(cfg, sd).to(dt)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


FAMILIES = [
    ("feature_extractor", "wav2vec2.feature_extractor."),
    ("feature_projection", "wav2vec2.feature_projection."),
    ("pos_conv_embed", "wav2vec2.encoder.pos_conv_embed."),
    ("encoder.layers", "wav2vec2.encoder.layers."),
    ("encoder.layer_norm", "wav2vec2.encoder.layer_norm."),
    ("masked_spec_embed", "wav2vec2.masked_spec_embed"),
    ("quantizer", "quantizer."),
    ("project_hid", "project_hid."),
    ("project_q", "project_q."),
]


def family(k):
    for name, pre in FAMILIES:
        if k.startswith(pre):
            return name
    raise RuntimeError(k)


def run_case(case, wave, attn):
    cfg = json.load(open(case["config"]))
    sd, _ = mf.read_safetensors(case["weights"])
    sd = {k: t for k, t in sd.items() if not k.startswith("lm_head.")}
    if case["head_seed"] is not None:
        assert not any(k.startswith(("quantizer.", "project_")) for k in sd)
        sd.update({k: t.clone() for k, t in mf.make_pretraining_params(case["head_seed"]).items()})
    cfg["architectures"] = ["Wav2Vec2ForPreTraining"]
    cfg["num_negatives"] = K
    for k in ("activation_dropout", "attention_dropout", "feat_proj_dropout", "feat_quantizer_dropout",
              "final_dropout", "hidden_dropout", "layerdrop"):
        assert cfg[k] == 0.0, k
    assert cfg["mask_time_prob"] == 0.05 and cfg["diversity_loss_weight"] == DIVERSITY_LOSS_WEIGHT
    assert cfg["contrastive_logits_temperature"] == LOGIT_TEMPERATURE
    assert cfg["num_codevector_groups"] == G and cfg["num_codevectors_per_group"] == V

    model32 = PretrainingModel(cfg, sd)
    B = wave.shape[0]
    with torch.no_grad():
        feats, frame_len = model32.body.feature_extractor(wave, attn.sum(-1))
    T = feats.shape[1]
    mask = make_mask(T)
    assert not (mask & ~(torch.arange(T)[None, :] < frame_len[:, None])).any(), "mask on a padded frame"
    wave64, noise_n = wave.double(), B * T * G

    # ---- choose Gumbel noise: argmax margin OK and fp32/fp64 agree and >=1 same-code pair of masked frames
    model64 = new_model(cfg, sd, torch.float64)
    dummy_neg = torch.zeros(B, T, K, dtype=torch.int64)
    seed = NOISE_SEED0
    while True:
        noise = make_noise(seed, noise_n)
        with torch.no_grad():
            o32 = forward_loss(model32, wave, attn, mask, dummy_neg, noise)
            o64 = forward_loss(model64, wave64, attn, mask, dummy_neg, noise.double())
        codes = o32["codevector_idx"]
        pairs = []
        for b in range(B):
            pos = torch.nonzero(mask[b]).flatten().tolist()
            for i in pos:
                for j in pos:
                    if i != j and torch.equal(codes[b, i], codes[b, j]):
                        pairs.append((b, i, j))
        if o32["margin"] > ARGMAX_MARGIN and torch.equal(codes, o64["codevector_idx"]) and pairs:
            break
        seed += 1
    noise_seed = seed

    # ---- choose negatives: first seed where some masked frame draws a same-code masked frame
    seed = NEG_SEED0
    while True:
        neg = sample_negatives(mask, seed)
        with torch.no_grad():
            o32 = forward_loss(model32, wave, attn, mask, neg, noise)
        hit = o32["neg_is_pos"] & mask[None]
        if hit.any():
            break
        seed += 1
    neg_seed = seed

    # ---- fp32 reference with gradients
    model32.zero_grad()
    o32 = forward_loss(model32, wave, attn, mask, neg, noise)
    o32["loss"].backward()
    params32 = model32.named_hf_parameters()
    grads32 = {k: p.grad.detach().clone() for k, p in params32.items()}
    model64.zero_grad()
    o64 = forward_loss(model64, wave64, attn, mask, neg, noise.double())
    o64["loss"].backward()
    grads64 = {k: p.grad.detach().clone() for k, p in model64.named_hf_parameters().items()}

    # ---- checks
    nm = int(mask.sum())
    assert set(grads32) == set(sd)
    kbias_rel = {}
    for k, g in grads32.items():
        assert torch.isfinite(g).all(), f"non-finite grad {k}"
        if k.endswith(".attention.k_proj.bias"):
            # analytically zero: a key bias adds q.b to every logit of a softmax row (shift-invariant); what is
            # stored is rounding noise. Bound it by the largest gradient of the same attention block.
            scale = max(float(grads64[k.replace("k_proj.bias", n)].abs().max())
                        for n in ("q_proj.weight", "k_proj.weight", "v_proj.weight", "out_proj.weight"))
            assert float(grads64[k].abs().max()) < 1e-12 * scale, k
            kbias_rel[k] = float(g.abs().max()) / scale
            assert kbias_rel[k] < 1e-5, k
        else:
            assert (g != 0).any(), f"all-zero grad {k}"
    for k in ("loss", "contrastive_loss", "diversity_loss", "feature_penalty", "codevector_perplexity"):
        assert torch.isfinite(o32[k]), k
    # straight-through one-hot is exactly one-hot in the forward pass -> equal codes give equal vectors
    assert torch.equal(o32["probs_forward"], o32["y_hard"]), "ST forward is not exactly one-hot"
    # -inf rule exercised at a masked frame, and neg_is_pos <=> same codes in both groups
    codes_flat = o32["codevector_idx"].reshape(B * T, G)
    same_code = (codes_flat[neg] == o32["codevector_idx"][:, :, None, :]).all(-1).permute(2, 0, 1)
    assert torch.equal(same_code, o32["neg_is_pos"]), "neg_is_pos != same codewords"
    n_inf = int((o32["neg_is_pos"] & mask[None]).sum())
    assert n_inf >= 1
    assert torch.isinf(o32["contrastive_logits"][1:][o32["neg_is_pos"]]).all()
    # never the frame itself, always a masked frame of the same utterance
    for b in range(B):
        for t in range(T):
            if mask[b, t]:
                for j in neg[b, t].tolist():
                    assert j // T == b and j % T != t and mask[b, j % T]
            else:
                assert (neg[b, t] == 0).all()
    # same decisions in fp64
    assert torch.equal(o32["codevector_idx"], o64["codevector_idx"])
    assert torch.equal(o32["neg_is_pos"], o64["neg_is_pos"])

    # independent fp64 cross-check of the loss terms (explicit loops over masked frames)
    q = o64["quantized"].detach()
    c = o64["transformer_features"].detach()
    ce = 0.0
    for b in range(B):
        for t in range(T):
            if not mask[b, t]:
                continue
            cands = [q[b, t]] + [q.reshape(B * T, -1)[j] for j in neg[b, t].tolist()]
            ls = []
            for i, qq in enumerate(cands):
                if i > 0 and torch.equal(qq, q[b, t]):
                    ls.append(-math.inf)
                else:
                    num = float((c[b, t] * qq).sum())
                    den = max(float(c[b, t].norm()), 1e-8) * max(float(qq.norm()), 1e-8)
                    ls.append(num / den / LOGIT_TEMPERATURE)
            mx = max(ls)
            ce += -(ls[0] - (mx + math.log(sum(math.exp(x - mx) for x in ls))))
    assert abs(ce - float(o64["contrastive_loss"])) <= 1e-9 * max(1.0, abs(ce)), (ce, float(o64["contrastive_loss"]))
    with torch.no_grad():
        lg = F.linear(
            model64.body.encoder.feature_projection.layer_norm(model64.body.feature_extractor(wave64, None)[0]),
            model64.h("quantizer.weight_proj.weight"), model64.h("quantizer.weight_proj.bias"),
        ).view(B, T, G, V)
        p = torch.softmax(lg, -1)[mask]  # [nm, G, V]
        pbar = p.mean(0)
        ppl = sum(math.exp(-float((pbar[gi] * torch.log(pbar[gi] + 1e-7)).sum())) for gi in range(G))
        assert abs(ppl - float(o64["codevector_perplexity"])) < 1e-9
        cnn64 = model64.body.feature_extractor(wave64, None)[0]
        assert abs(float((cnn64 ** 2).sum()) / cnn64.numel() - float(o64["feature_penalty"])) < 1e-12

    # finite-difference check (fp64) of the autograd gradient, one random direction per parameter family, on the
    # straight-through surrogate (see forward_loss(frozen=...)); CNN parameters: autograd = feature_grad_mult * d/d
    frozen = (o64["y_hard"], o64["y_soft"], o64["neg_is_pos"])
    p64 = model64.named_hf_parameters()
    with torch.no_grad():
        assert float(forward_loss(model64, wave64, attn, mask, neg, noise.double(), frozen=frozen)["loss"]) == float(
            o64["loss"]
        )
    gen = torch.Generator().manual_seed(99)
    dirs = {k: torch.randn(p.shape, generator=gen, dtype=torch.float64) for k, p in p64.items()}
    fd_rel = {}
    for fam_name, _ in FAMILIES:
        ks = [k for k in p64 if family(k) == fam_name]
        analytic = sum(float((grads64[k] * dirs[k]).sum()) for k in ks)
        if fam_name == "feature_extractor":
            analytic /= FEATURE_GRAD_MULT
        eps = 1e-6
        saved = {k: p64[k].detach().clone() for k in ks}
        vals = []
        with torch.no_grad():
            for sgn in (1.0, -1.0):
                for k in ks:
                    p64[k].copy_(saved[k] + sgn * eps * dirs[k])
                vals.append(float(forward_loss(model64, wave64, attn, mask, neg, noise.double(), frozen=frozen)["loss"]))
            for k in ks:
                p64[k].copy_(saved[k])
        fd = (vals[0] - vals[1]) / (2 * eps)
        fd_rel[fam_name] = abs(fd - analytic) / abs(analytic)
        assert fd_rel[fam_name] < 1e-5, (fam_name, fd, analytic)

    # GradMultiply really scales the CNN gradients (penalty weight 0: m=1 vs m=0.1)
    gm = {}
    for mult in (1.0, FEATURE_GRAD_MULT):
        model32.zero_grad()
        forward_loss(model32, wave, attn, mask, neg, noise, fgm=mult, pen_w=0.0)["loss"].backward()
        gm[mult] = {k: p.grad.detach().clone() for k, p in model32.named_hf_parameters().items()}
    for k in gm[1.0]:
        if k.startswith("wav2vec2.feature_extractor."):
            assert torch.allclose(gm[FEATURE_GRAD_MULT][k], FEATURE_GRAD_MULT * gm[1.0][k], rtol=1e-5,
                                  atol=1e-7 * float(gm[1.0][k].abs().max())), k
            assert not torch.allclose(gm[FEATURE_GRAD_MULT][k], gm[1.0][k])
        else:
            assert torch.equal(gm[FEATURE_GRAD_MULT][k], gm[1.0][k]), k
    # GradMultiply forward is an exact identity (vs the brief's x*m + x.detach()*(1-m) formulation: <= 1 ulp)
    model32.zero_grad()

    # ---- AdamW: loss before step 1 and after each of 3 steps, fp32 (and fp64 for the discrepancy)
    def adamw_losses(model, w, nz):
        params = list(model.named_hf_parameters().values())
        opt = torch.optim.AdamW(params, foreach=False, **ADAMW)
        out, margins, codes = [], [], []
        for step in range(ADAMW_STEPS + 1):
            opt.zero_grad()
            o = forward_loss(model, w, attn, mask, neg, nz)
            out.append(float(o["loss"]))
            margins.append(o["margin"])
            codes.append(o["codevector_idx"])
            if step < ADAMW_STEPS:
                o["loss"].backward()
                opt.step()
        return out, margins, codes

    adam32, margins32, codes32 = adamw_losses(new_model(cfg, sd, torch.float32), wave, noise)
    adam64, _, codes64 = adamw_losses(new_model(cfg, sd, torch.float64), wave64, noise.double())
    assert all(torch.equal(a, b) for a, b in zip(codes32, codes64)), "fp32/fp64 code choice differs during AdamW"
    assert adam32[0] == float(o32["loss"])
    assert all(math.isfinite(x) for x in adam32)

    # ---- discrepancy fp32 vs fp64
    disc = {}
    for k in ("loss", "contrastive_loss", "diversity_loss", "feature_penalty", "codevector_perplexity"):
        a, b = float(o32[k]), float(o64[k])
        disc[k] = abs(a - b) / abs(b)
    l32, l64 = o32["contrastive_logits"].detach(), o64["contrastive_logits"].detach()
    fin = torch.isfinite(l64)
    assert torch.equal(fin, torch.isfinite(l32))
    disc["contrastive_logits(abs)"] = float((l32[fin].double() - l64[fin]).abs().max())
    disc["adamw_losses(rel)"] = max(abs(a - b) / abs(b) for a, b in zip(adam32, adam64))
    fam = {}
    per_tensor = {}
    for k in grads32:
        if k in kbias_rel:
            continue
        g32, g64 = grads32[k].double(), grads64[k]
        r = float((g32 - g64).abs().max() / g64.abs().max())
        per_tensor[k] = r
        f = family(k)
        fam[f] = max(fam.get(f, 0.0), r)
    disc["grad_families(max|g32-g64|/max|g64| per tensor, max over family)"] = fam
    disc["k_proj.bias(max|g32| / max|grad of the attention block's weights|; exact value 0)"] = max(kbias_rel.values())

    ref = {
        "input_lengths": attn.sum(-1).to(torch.int64),
        "frame_lengths": o32["frame_len"].to(torch.int64),
        "mask_time_indices": mask.clone(),
        "mask_time_indices_u8": mask.to(torch.uint8),
        "sampled_negative_indices": neg.clone(),
        "gumbel_noise": noise.clone(),
        "gumbel_temperature": torch.tensor(GUMBEL_TEMPERATURE, dtype=torch.float32),
        "feature_grad_mult": torch.tensor(FEATURE_GRAD_MULT, dtype=torch.float32),
        "feature_penalty_weight": torch.tensor(FEATURE_PENALTY_WEIGHT, dtype=torch.float32),
        "num_masked": torch.tensor(nm, dtype=torch.int64),
        "contrastive_loss": o32["contrastive_loss"].detach().reshape(()).clone(),
        "diversity_loss": o32["diversity_loss"].detach().reshape(()).clone(),
        "feature_penalty": o32["feature_penalty"].detach().reshape(()).clone(),
        "loss": o32["loss"].detach().reshape(()).clone(),
        "codevector_perplexity": o32["codevector_perplexity"].detach().reshape(()).clone(),
        "contrastive_logits": l32.contiguous().clone(),
        "correct": o32["correct"].to(torch.int64).reshape(()).clone(),
        "codevector_idx": o32["codevector_idx"].to(torch.int64).contiguous(),
        "adamw_losses": torch.tensor(adam32, dtype=torch.float32),
    }
    for k, g in grads32.items():
        ref["grad." + k] = g.contiguous()
    for k, t in ref.items():
        if t.is_floating_point():
            assert t.dtype == torch.float32, k

    info = dict(
        name=case["name"],
        source=case["source"],
        noise_seed=noise_seed,
        neg_seed=neg_seed,
        T=T,
        num_masked=nm,
        same_code_pairs=len(pairs),
        neg_is_pos_at_masked=n_inf,
        neg_is_pos_example=[list(map(int, x)) for x in torch.nonzero(o32["neg_is_pos"] & mask[None])[:3]],
        min_argmax_margin=o32["margin"],
        adamw_min_margin=min(margins32),
        terms={k: float(ref[k]) for k in ("loss", "contrastive_loss", "diversity_loss", "feature_penalty",
                                          "codevector_perplexity")},
        correct=int(ref["correct"]),
        adamw_losses=adam32,
        adamw_losses_fp64=adam64,
        discrepancy=disc,
        finite_difference_rel_err_fp64=fd_rel,
        worst_grad_tensors=sorted(per_tensor.items(), key=lambda kv: -kv[1])[:3],
    )
    return cfg, sd, ref, info


def main():
    install_gelu_workaround()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)
    inputs, _ = mf.read_safetensors(INPUTS_FILE)
    wave, attn = inputs["batch.input_values"], inputs["batch.attention_mask"]
    inputs_sha = sha256(INPUTS_FILE)
    for case in CASES:
        cfg, sd, ref, info = run_case(case, wave, attn)
        d = os.path.join(OUT, case["name"])
        os.makedirs(d, exist_ok=True)
        mf.write_json(os.path.join(d, "config.json"), cfg)
        mf.write_safetensors(os.path.join(d, "model.safetensors"), sd)
        mf.check_roundtrip_safetensors(os.path.join(d, "model.safetensors"), sd)
        meta = {
            "format": "pt",
            "generator": "tools/reference/make_pretraining_fixtures.py",
            "inputs": "tests/fixtures/parity/inputs.safetensors batch.input_values / batch.attention_mask",
            "inputs_sha256": inputs_sha,
            "noise_seed": str(info["noise_seed"]),
            "negatives_seed": str(info["neg_seed"]),
        }
        path = os.path.join(d, "reference.safetensors")
        mf.write_safetensors(path, ref, metadata=meta)
        got, gmeta = mf.read_safetensors(path)
        assert gmeta == meta and set(got) == set(ref)
        for k, t in ref.items():
            assert got[k].dtype == t.dtype and list(got[k].shape) == list(t.shape) and torch.equal(got[k], t), k
        print(json.dumps(info, indent=1))
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT) for f in fs)
    print(f"all checks passed; {total} bytes under {OUT}")
    assert total < 1_000_000


if __name__ == "__main__":
    main()
