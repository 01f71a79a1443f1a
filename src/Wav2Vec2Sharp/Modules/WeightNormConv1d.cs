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

    /// <summary>Creates the convolution with PyTorch's default init for v and bias, and g = ‖v‖ (so w = v initially).</summary>
    public WeightNormConv1d(int channels, int kernel, int groups, int padding) : base(nameof(WeightNormConv1d))
    {
        _padding = padding;
        _groups = groups;
        var fanIn = channels / groups * kernel;
        var bound = 1.0 / Math.Sqrt(fanIn);
        using (no_grad())
        {
            weight_v = new Parameter(empty(channels, channels / groups, kernel).uniform_(-bound, bound));
            weight_g = new Parameter(KernelNorm(weight_v).detach());
            bias = new Parameter(empty(channels).uniform_(-bound, bound));
        }
        RegisterComponents();
    }

    /// <summary>The effective weight <c>g · v / ‖v‖</c>, <c>[C_out, C_in / groups, K]</c>.</summary>
    public Tensor Weight() => weight_v * (weight_g / KernelNorm(weight_v));

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return nn.functional.conv1d(x, Weight(), bias, padding: _padding, groups: _groups).MoveToOuterDisposeScope();
    }

    // ‖v[:, :, k]‖ for each kernel position k, kept as [1, 1, K].
    private static Tensor KernelNorm(Tensor v) => v.pow(2).sum([0, 1], keepdim: true).sqrt();
}
