using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// A grouped Conv1d whose weight is reparametrised by weight normalisation over the kernel axis (PyTorch
/// <c>weight_norm(conv, dim=2)</c>): <c>w[o, i, k] = g[0, 0, k] · v[o, i, k] / ‖v[:, :, k]‖</c>.
/// Parameters are named <c>weight_g</c> <c>[1, 1, K]</c>, <c>weight_v</c> <c>[C_out, C_in / groups, K]</c> and
/// <c>bias</c> <c>[C_out]</c>; checkpoints that use PyTorch's newer parametrization names
/// (<c>parametrizations.weight.original0/1</c>) are mapped onto these by the checkpoint loader.
/// </summary>
public sealed class WeightNormConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight_g;
    private readonly Parameter weight_v;
    private readonly Parameter bias;
    private readonly long _padding;
    private readonly long _groups;

    /// <summary>Creates the convolution initialised as HF does: v ~ N(0, 2·√(1 / (K·C))), bias 0, and g = ‖v‖ so that w = v.</summary>
    public WeightNormConv1d(int channels, int kernel, int groups, int padding) : base(nameof(WeightNormConv1d))
    {
        _padding = padding;
        _groups = groups;
        var std = 2 * Math.Sqrt(1.0 / (kernel * channels));
        using (no_grad())
        {
            weight_v = new Parameter(empty(channels, channels / groups, kernel).normal_(0.0, std));
            using var norm = KernelNorm(weight_v);
            weight_g = new Parameter(norm.detach());
            bias = new Parameter(zeros(channels));
        }
        RegisterComponents();
    }

    /// <summary>The effective weight <c>g · v / ‖v‖</c>, <c>[C_out, C_in / groups, K]</c>.</summary>
    public Tensor Weight()
    {
        using var scope = NewDisposeScope();
        return (weight_v * (weight_g / KernelNorm(weight_v))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return nn.functional.conv1d(x, Weight(), bias, padding: _padding, groups: _groups).MoveToOuterDisposeScope();
    }

    // ‖v[:, :, k]‖ for each kernel position k, kept as [1, 1, K]. The intermediates are held in locals: the constructor
    // runs outside any DisposeScope, where a temporary could be finalized while libtorch reads it.
    private static Tensor KernelNorm(Tensor v)
    {
        using var squares = v.pow(HeldScalars.Two);
        using var sums = squares.sum([0, 1], keepdim: true);
        return sums.sqrt();
    }
}
