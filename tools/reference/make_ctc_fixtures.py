#!/usr/bin/python3
"""CTC-loss parity-fixture generator for Wav2Vec2Sharp.

Pins down torch.nn.functional.ctc_loss exactly as Hugging Face Wav2Vec2ForCTC calls it, for fixed seeded
inputs, including the zero_infinity behaviour on an impossible target and the gradient back to the
batch-first logits that the C# model produces.

What it writes (under tests/fixtures/ctc/, relative to the repository root):

  ctc_loss.safetensors   inputs, losses for every reduction / zero_infinity combination, gradients
                         (key list, values and tolerances: tests/fixtures/ctc/README.md)

HF semantics reproduced (modeling_wav2vec2.Wav2Vec2ForCTC.forward, transformers 4.40):
  log_probs = log_softmax(logits, dim=-1, dtype=float32).transpose(0, 1)          # [B,T,C] -> [T,B,C]
  labels_mask = labels >= 0; target_lengths = labels_mask.sum(-1)
  flattened_targets = labels.masked_select(labels_mask)                           # 1-D, concatenated
  loss = ctc_loss(log_probs, flattened_targets, input_lengths, target_lengths,
                  blank=pad_token_id (0), reduction=ctc_loss_reduction, zero_infinity=ctc_zero_infinity)
  torch's reductions: "sum" = sum of the per-utterance losses; "mean" = mean over the batch of
  (loss_b / clamp_min(target_length_b, 1)); with zero_infinity an infinite loss (and its gradient) becomes 0
  but the utterance still counts in the batch size of "mean".

Inputs: logits [B=4, T=50, C=12] = 2 * randn (torch.Generator seed LOGITS_SEED); input_lengths 50, 41, 30, 12;
target_lengths 20, 15, 1, 13; labels uniform in 1..11 (blank = 0) from torch.Generator seed TARGETS_SEED, then
a few positions overwritten to force consecutive repeats (a pair and a triple in utterance 0, a pair in
utterances 1 and 3). Utterance 3 (12 frames, 13 labels + 1 repeat) is impossible -> loss +inf.

Checks performed: padded-2-D targets give the same fp32 losses as HF's flattened 1-D targets; an independent
float64 alpha-recursion (log-space, plain torch ops) reproduces torch's fp64 per-utterance losses, and its
autograd gradient reproduces torch's fp64 gradient; fp64 central finite differences along a random direction
match the fp64 gradient; the gradient is exactly zero for the impossible utterance and for frames past each
input length; every frame's gradient sums to ~0 over classes; the file is read back and compared.
The whole computation is repeated in float64 (same fp32 logits promoted) and the fp32-vs-fp64 differences are
printed; they were copied into tests/fixtures/ctc/README.md by hand.

How to run (from the repository root):
  /usr/bin/python3 tools/reference/make_ctc_fixtures.py
Debian python3-torch 1.13.1 / numpy (imports make_fixtures.py for its hand-written safetensors writer/reader,
which needs python3-torchaudio importable); one CPU thread, ~3 s; deterministic (rerunning yields
byte-identical files).
"""

import hashlib
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (safetensors writer / reader)

REPO = mf.REPO
OUT = os.path.join(REPO, "tests", "fixtures", "ctc")
PATH = os.path.join(OUT, "ctc_loss.safetensors")

B, T, C = 4, 50, 12
BLANK = 0
PAD_LABEL = -100
LOGITS_SEED = 4242
LOGITS_SCALE = 2.0
TARGETS_SEED = 4243
FD_SEED = 4244
INPUT_LENGTHS = [50, 41, 30, 12]
TARGET_LENGTHS = [20, 15, 1, 13]
# (utterance, first position, run length): positions [p, p + n) get the label at p -> n - 1 forced repeats
FORCED_RUNS = [(0, 3, 2), (0, 10, 3), (1, 7, 2), (3, 5, 2)]
IMPOSSIBLE = 3


# ----------------------------------------------------------------------------------------------
def make_inputs():
    g = torch.Generator().manual_seed(LOGITS_SEED)
    logits = torch.randn(B, T, C, generator=g) * LOGITS_SCALE
    g = torch.Generator().manual_seed(TARGETS_SEED)
    smax = max(TARGET_LENGTHS)
    labels = torch.full((B, smax), PAD_LABEL, dtype=torch.int64)
    for b, n in enumerate(TARGET_LENGTHS):
        labels[b, :n] = torch.randint(1, C, (n,), generator=g)
    for b, p, n in FORCED_RUNS:
        assert p + n <= TARGET_LENGTHS[b]
        labels[b, p : p + n] = labels[b, p]
    return logits, labels


def repeats(seq):
    return sum(1 for a, b in zip(seq[:-1], seq[1:]) if a == b)


def hf_ctc(logits, labels, input_lengths, reduction, zero_infinity, dtype):
    """Exactly HF's call (log_softmax in `dtype`, transpose to [T,B,C], flattened targets)."""
    log_probs = F.log_softmax(logits, dim=-1, dtype=dtype).transpose(0, 1)
    labels_mask = labels >= 0
    target_lengths = labels_mask.sum(-1)
    flattened = labels.masked_select(labels_mask)
    return F.ctc_loss(log_probs, flattened, input_lengths, target_lengths, blank=BLANK, reduction=reduction,
                      zero_infinity=zero_infinity)


def ref_nll(lp, target, n_frames):
    """Independent per-utterance CTC negative log-likelihood (float64, log-space alpha recursion).
    lp: [T, C] log-probabilities of one utterance. Unreachable states hold -1e30 (finite, so autograd never
    sees inf - inf); returns +inf when the final value shows no valid path."""
    neg = -1e30
    ext = [BLANK]
    for lab in target:
        ext += [lab, BLANK]
    S = len(ext)
    ext_t = torch.tensor(ext, dtype=torch.int64)
    skip = torch.tensor([s >= 2 and ext[s] != BLANK and ext[s] != ext[s - 2] for s in range(S)])
    pad1 = torch.full((1,), neg, dtype=lp.dtype)
    pad2 = torch.full((2,), neg, dtype=lp.dtype)
    init = torch.full((S,), neg, dtype=lp.dtype)
    alpha = torch.cat([lp[0, ext_t[:1]], lp[0, ext_t[1:2]], init[2:]]) if S > 1 else lp[0, ext_t[:1]]
    for t in range(1, n_frames):
        a1 = torch.cat([pad1, alpha[:-1]])
        a2 = torch.where(skip, torch.cat([pad2, alpha[:-2]]), torch.full_like(alpha, neg))
        alpha = torch.logsumexp(torch.stack([alpha, a1, a2]), dim=0) + lp[t, ext_t]
    ll = torch.logsumexp(alpha[-2:], dim=0)
    if ll.item() < -1e29:
        return torch.tensor(float("inf"), dtype=lp.dtype)
    return -ll


def compute(logits_f32, labels, dtype):
    """All losses and the gradients for one precision (the fp32 logits promoted to `dtype`)."""
    il = torch.tensor(INPUT_LENGTHS, dtype=torch.int64)
    x = logits_f32.detach().to(dtype)
    o = {}
    with torch.no_grad():
        o["log_probs"] = F.log_softmax(x, dim=-1, dtype=dtype).transpose(0, 1).contiguous()
        o["loss_sum_zero_inf"] = hf_ctc(x, labels, il, "sum", True, dtype)
        o["loss_mean_zero_inf"] = hf_ctc(x, labels, il, "mean", True, dtype)
        o["loss_none_zero_inf"] = hf_ctc(x, labels, il, "none", True, dtype)
        o["loss_none"] = hf_ctc(x, labels, il, "none", False, dtype)
        valid = [b for b in range(B) if b != IMPOSSIBLE]
        o["loss_sum_valid"] = hf_ctc(x[valid], labels[valid], il[valid], "sum", False, dtype)
        # padded-2-D targets (the other ctc_loss input form) must agree with HF's flattened form
        lp = o["log_probs"]
        tl = (labels >= 0).sum(-1)
        for red, zi in (("none", False), ("none", True), ("sum", True), ("mean", True)):
            a = F.ctc_loss(lp, labels.clamp_min(0), il, tl, blank=BLANK, reduction=red, zero_infinity=zi)
            b = hf_ctc(x, labels, il, red, zi, dtype)
            assert torch.equal(a, b), (red, zi, a, b)
    for red in ("sum", "mean"):
        xr = x.clone().requires_grad_(True)
        loss = hf_ctc(xr, labels, il, red, True, dtype)
        loss.backward()
        o[f"grad_logits_{red}_zero_inf"] = xr.grad.detach().clone()
    return o


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)

    logits, labels = make_inputs()
    tl = [int(n) for n in (labels >= 0).sum(-1)]
    assert tl == TARGET_LENGTHS
    targets = [labels[b, : tl[b]].tolist() for b in range(B)]
    reps = [repeats(t) for t in targets]
    need = [tl[b] + reps[b] for b in range(B)]
    feasible = [need[b] <= INPUT_LENGTHS[b] for b in range(B)]
    assert feasible == [b != IMPOSSIBLE for b in range(B)], (need, INPUT_LENGTHS)
    assert all(v in range(1, C) for t in targets for v in t)
    assert reps[0] >= 3 and reps[1] >= 1, reps

    o32 = compute(logits, labels, torch.float32)
    o64 = compute(logits, labels, torch.float64)

    # --- structural checks on the fp32 results
    ln = o32["loss_none"]
    assert torch.isinf(ln[IMPOSSIBLE]) and ln[IMPOSSIBLE] > 0
    assert torch.isfinite(ln[[b for b in range(B) if b != IMPOSSIBLE]]).all()
    lnz = o32["loss_none_zero_inf"]
    assert lnz[IMPOSSIBLE] == 0
    assert torch.equal(lnz[[0, 1, 2]], ln[[0, 1, 2]])
    assert torch.allclose(o32["loss_sum_zero_inf"], lnz.sum(), rtol=1e-6, atol=0)
    assert torch.allclose(o32["loss_sum_valid"], ln[[0, 1, 2]].sum(), rtol=1e-6, atol=0)
    tlf = torch.tensor(TARGET_LENGTHS, dtype=torch.float32).clamp_min(1)
    assert torch.allclose(o32["loss_mean_zero_inf"], (lnz / tlf).mean(), rtol=1e-6, atol=0)
    for red in ("sum", "mean"):
        g = o32[f"grad_logits_{red}_zero_inf"]
        assert torch.isfinite(g).all()
        assert torch.count_nonzero(g[IMPOSSIBLE]) == 0, "zero_infinity must zero the impossible utterance"
        for b in range(B):
            assert torch.count_nonzero(g[b, INPUT_LENGTHS[b] :]) == 0, "frames past input_length must be 0"
        assert g.sum(-1).abs().max() < 1e-5  # d/dlogits of a log_softmax consumer sums to 0 per frame

    # --- independent fp64 recursion vs torch fp64
    x64 = logits.detach().double().requires_grad_(True)
    lp64 = F.log_softmax(x64, dim=-1)
    ref = [ref_nll(lp64[b], targets[b], INPUT_LENGTHS[b]) for b in range(B)]
    ref_none = torch.stack([r.detach() for r in ref])
    t_none = o64["loss_none"]
    assert torch.isinf(ref_none[IMPOSSIBLE]) and torch.isinf(t_none[IMPOSSIBLE])
    ref_rel = max(abs(float(ref_none[b] - t_none[b])) / abs(float(t_none[b])) for b in range(B) if b != IMPOSSIBLE)
    assert ref_rel < 1e-12, ref_rel
    ref_loss = sum(ref[b] for b in range(B) if b != IMPOSSIBLE)  # zero_infinity: impossible -> 0
    ref_loss.backward()
    g_ref = x64.grad
    g64 = o64["grad_logits_sum_zero_inf"]
    ref_grad_rel = float((g_ref - g64).abs().max() / g64.abs().max())
    assert ref_grad_rel < 1e-12, ref_grad_rel
    x64m = logits.detach().double().requires_grad_(True)
    lpm = F.log_softmax(x64m, dim=-1)
    ref_mean = sum(ref_nll(lpm[b], targets[b], INPUT_LENGTHS[b]) / max(TARGET_LENGTHS[b], 1)
                   for b in range(B) if b != IMPOSSIBLE) / B
    assert abs(float(ref_mean - o64["loss_mean_zero_inf"])) / float(o64["loss_mean_zero_inf"]) < 1e-12
    ref_mean.backward()
    g64m = o64["grad_logits_mean_zero_inf"]
    ref_grad_mean_rel = float((x64m.grad - g64m).abs().max() / g64m.abs().max())
    assert ref_grad_mean_rel < 1e-12, ref_grad_mean_rel

    # --- fp64 central finite differences along a random direction
    gd = torch.Generator().manual_seed(FD_SEED)
    d = torch.randn(B, T, C, generator=gd, dtype=torch.float64)
    il = torch.tensor(INPUT_LENGTHS, dtype=torch.int64)
    h = 1e-5
    with torch.no_grad():
        xp = logits.double() + h * d
        xm = logits.double() - h * d
        fd = float((hf_ctc(xp, labels, il, "sum", True, torch.float64)
                    - hf_ctc(xm, labels, il, "sum", True, torch.float64)) / (2 * h))
    an = float((g64 * d).sum())
    fd_rel = abs(fd - an) / abs(an)
    assert fd_rel < 1e-7, (fd, an)

    # --- fp32 vs fp64
    def rel_scalar(k):
        return abs(float(o32[k]) - float(o64[k])) / abs(float(o64[k]))

    disc = {k: rel_scalar(k) for k in ("loss_sum_zero_inf", "loss_mean_zero_inf", "loss_sum_valid")}
    fin = [b for b in range(B) if b != IMPOSSIBLE]
    for k in ("loss_none_zero_inf", "loss_none"):
        disc[k + " (max rel, finite)"] = max(
            abs(float(o32[k][b]) - float(o64[k][b])) / abs(float(o64[k][b])) for b in fin)
    disc["log_probs (max abs)"] = float((o32["log_probs"].double() - o64["log_probs"]).abs().max())
    for red in ("sum", "mean"):
        k = f"grad_logits_{red}_zero_inf"
        g32, g64_ = o32[k].double(), o64[k]
        disc[k + " (max abs / max|g|)"] = float((g32 - g64_).abs().max() / g64_.abs().max())
        disc[k + " (max abs)"] = float((g32 - g64_).abs().max())

    # --- write
    out = {
        "logits": logits.contiguous(),
        "log_probs": o32["log_probs"],
        "input_lengths": torch.tensor(INPUT_LENGTHS, dtype=torch.int64),
        "targets": labels.contiguous(),
        "target_lengths": torch.tensor(TARGET_LENGTHS, dtype=torch.int64),
        "loss_sum_zero_inf": o32["loss_sum_zero_inf"].reshape(()).clone(),
        "loss_mean_zero_inf": o32["loss_mean_zero_inf"].reshape(()).clone(),
        "loss_none_zero_inf": o32["loss_none_zero_inf"].contiguous(),
        "loss_none": o32["loss_none"].contiguous(),
        "loss_sum_valid": o32["loss_sum_valid"].reshape(()).clone(),
        "grad_logits_sum_zero_inf": o32["grad_logits_sum_zero_inf"].contiguous(),
        "grad_logits_mean_zero_inf": o32["grad_logits_mean_zero_inf"].contiguous(),
        # the same gradient computed entirely in float64 (from the same fp32 logits), rounded to fp32: a
        # reference free of torch's fp32 rounding noise, for implementations that accumulate in double
        "grad_logits_sum_zero_inf_f64": o64["grad_logits_sum_zero_inf"].float().contiguous(),
    }
    for k, t in out.items():
        assert t.dtype in (torch.float32, torch.int64), k
    meta = {
        "format": "pt",
        "generator": "tools/reference/make_ctc_fixtures.py",
        "torch": torch.__version__,
        "logits_seed": str(LOGITS_SEED),
        "targets_seed": str(TARGETS_SEED),
        "blank": str(BLANK),
    }
    mf.write_safetensors(PATH, out, metadata=meta)
    got, gmeta = mf.read_safetensors(PATH)
    assert gmeta == meta and set(got) == set(out)
    for k, t in out.items():
        assert got[k].dtype == t.dtype and list(got[k].shape) == list(t.shape) and torch.equal(got[k], t), k

    with open(PATH, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    g = o32["grad_logits_sum_zero_inf"]
    info = dict(
        targets=targets,
        repeats=reps,
        min_frames_needed=need,
        input_lengths=INPUT_LENGTHS,
        loss_none=[float(v) for v in o32["loss_none"]],
        loss_none_fp64=[float(v) for v in o64["loss_none"]],
        loss_none_zero_inf=[float(v) for v in o32["loss_none_zero_inf"]],
        loss_sum_zero_inf=float(o32["loss_sum_zero_inf"]),
        loss_mean_zero_inf=float(o32["loss_mean_zero_inf"]),
        loss_sum_valid=float(o32["loss_sum_valid"]),
        fp64=dict((k, float(o64[k])) for k in ("loss_sum_zero_inf", "loss_mean_zero_inf", "loss_sum_valid")),
        grad_sum_max_abs=float(g.abs().max()),
        grad_sum_l2=float(g.norm()),
        grad_mean_max_abs=float(o32["grad_logits_mean_zero_inf"].abs().max()),
        independent_recursion_rel_loss=ref_rel,
        independent_recursion_rel_grad_sum=ref_grad_rel,
        independent_recursion_rel_grad_mean=ref_grad_mean_rel,
        finite_difference_rel_err_fp64=fd_rel,
        discrepancy_fp32_vs_fp64=disc,
        bytes=os.path.getsize(PATH),
        sha256=sha,
    )
    print(json.dumps(info, indent=1))
    print("all checks passed")


if __name__ == "__main__":
    main()
