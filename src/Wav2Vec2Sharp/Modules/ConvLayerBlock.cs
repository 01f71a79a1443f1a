using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>How a conv block of the feature encoder normalises its output.</summary>
public enum ConvNorm
{
    /// <summary>No normalisation (layers 1–6 of a "group" encoder).</summary>
    None,

    /// <summary>GroupNorm with one group per channel: each channel normalised over time (layer 0 of a "group" encoder).</summary>
    Group,

    /// <summary>LayerNorm over the channels of each frame (every layer of a "layer" encoder).</summary>
    Layer,
}

/// <summary>
/// One block of the feature encoder: Conv1d (no padding) → optional norm → activation.
/// Input <c>[B, C_in, L]</c>, output <c>[B, C_out, floor((L − kernel) / stride) + 1]</c>.
/// Fields are named like the HF keys <c>conv_layers.N.conv</c> and <c>conv_layers.N.layer_norm</c>.
/// </summary>
public sealed class ConvLayerBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;
    private readonly nn.Module<Tensor, Tensor>? layer_norm;
    private readonly ConvNorm _norm;
    private readonly long _stride;
    private readonly string _activation;

    /// <summary>Creates a block.</summary>
    public ConvLayerBlock(int inChannels, int outChannels, int kernel, int stride, bool bias, ConvNorm norm, string activation, double eps)
        : base(nameof(ConvLayerBlock))
    {
        conv = nn.Conv1d(inChannels, outChannels, kernel, stride: stride, bias: bias);
        layer_norm = norm switch
        {
            ConvNorm.Group => nn.GroupNorm(outChannels, outChannels, eps, affine: true),
            ConvNorm.Layer => nn.LayerNorm(outChannels, eps),
            _ => null,
        };
        Initialization.KaimingConv(conv, inChannels, kernel);
        if (layer_norm is not null)
            Initialization.Norm(layer_norm);
        _norm = norm;
        _stride = stride;
        _activation = activation;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = Autocast.Conv(conv, x, _stride); // (B, C_in, L) -> (B, C_out, L')
        if (_norm == ConvNorm.Group)
            y = layer_norm!.call(y);
        else if (_norm == ConvNorm.Layer)
            y = layer_norm!.call(y.transpose(1, 2)).transpose(1, 2); // LN over channels: (B, C, L) -> (B, L, C) -> back
        return Activations.Apply(_activation, y).MoveToOuterDisposeScope();
    }
}
