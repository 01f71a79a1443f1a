using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// Multi-head self-attention with separate q/k/v/out projections (HF <c>Wav2Vec2Attention</c>, keys
/// <c>attention.{q,k,v,out}_proj</c>), computed with the fused scaled-dot-product kernel.
/// Input <c>[B, T, d]</c>; optional key mask <c>[B, 1, 1, T]</c> (bool, true = attend); output <c>[B, T, d]</c>.
/// </summary>
public sealed class SelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly int _heads;
    private readonly double _dropout;

    /// <summary>Creates the attention block.</summary>
    public SelfAttention(int hiddenSize, int heads, double attentionDropout, double initializerRange = 0.02) : base(nameof(SelfAttention))
    {
        q_proj = nn.Linear(hiddenSize, hiddenSize);
        k_proj = nn.Linear(hiddenSize, hiddenSize);
        v_proj = nn.Linear(hiddenSize, hiddenSize);
        out_proj = nn.Linear(hiddenSize, hiddenSize);
        foreach (var projection in new[] { q_proj, k_proj, v_proj, out_proj })
            Initialization.Normal(projection, initializerRange);
        _heads = heads;
        _dropout = attentionDropout;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        long B = x.shape[0], T = x.shape[1], C = x.shape[2];
        Tensor Heads(Linear projection) => Autocast.Linear(projection, x).view(B, T, _heads, C / _heads).transpose(1, 2); // (B, T, C) -> (B, nH, T, Hd)
        var y = nn.functional.scaled_dot_product_attention(Heads(q_proj), Heads(k_proj), Heads(v_proj),
            attn_mask: keyMask, p: training ? _dropout : 0.0);
        y = y.transpose(1, 2).reshape(B, T, C); // (B, nH, T, Hd) -> (B, T, C)
        return Autocast.Linear(out_proj, y).MoveToOuterDisposeScope();
    }
}
