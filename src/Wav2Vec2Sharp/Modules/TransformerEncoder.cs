using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// The context network (HF <c>Wav2Vec2Encoder</c> / <c>Wav2Vec2EncoderStableLayerNorm</c>, key prefix <c>encoder.</c>):
/// zero padded frames, add the positional convolution, then the layers. Post-LN applies <c>layer_norm</c> before the
/// stack, stable-LN after it. LayerDrop skips whole layers in training only.
/// Input <c>[B, T, d]</c> with an optional frame mask <c>[B, T]</c> (bool, true = real frame); output <c>[B, T, d]</c>.
/// </summary>
public sealed class TransformerEncoder : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly PositionalConvEmbedding pos_conv_embed;
    private readonly LayerNorm layer_norm;
    private readonly Dropout dropout;
    private readonly ModuleList<EncoderLayer> layers = new();
    private readonly bool _layerNormFirst;
    private readonly double _layerDrop;

    /// <summary>Creates the encoder described by <paramref name="config"/>.</summary>
    public TransformerEncoder(Wav2Vec2Config config) : base(nameof(TransformerEncoder))
    {
        pos_conv_embed = new PositionalConvEmbedding(config);
        layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        for (int i = 0; i < config.NumHiddenLayers; i++)
            layers.Add(new EncoderLayer(config));
        Initialization.Norm(layer_norm);
        _layerNormFirst = config.DoStableLayerNorm;
        _layerDrop = config.Layerdrop;
        RegisterComponents();
    }

    /// <summary>The layers, for inspection and per-layer tests.</summary>
    public IReadOnlyList<EncoderLayer> Layers => layers.ToList();

    /// <summary>The positional convolution block.</summary>
    public PositionalConvEmbedding PositionalEmbedding => pos_conv_embed;

    /// <inheritdoc/>
    public override Tensor forward(Tensor hiddenStates, Tensor? frameMask) => Run(hiddenStates, frameMask, null);

    /// <summary>As <see cref="forward"/>, also reporting the output of every layer (before a final LayerNorm).</summary>
    public Tensor Run(Tensor hiddenStates, Tensor? frameMask, List<Tensor>? layerOutputs)
    {
        using var scope = NewDisposeScope();
        Tensor? keyMask = null;
        var x = hiddenStates;
        if (frameMask is not null)
        {
            // a held Scalar (see HeldScalars): an implicit conversion's temporary was once read as a garbage fill value
            x = x.masked_fill(frameMask.logical_not().unsqueeze(-1), HeldScalars.Zero); // zero padded frames before the pos conv
            keyMask = frameMask.view(frameMask.shape[0], 1, 1, frameMask.shape[1]); // (B, T) -> (B, 1, 1, T)
        }
        x = x.Plus(pos_conv_embed.call(x));
        if (!_layerNormFirst)
            x = layer_norm.call(x);
        x = dropout.call(x);
        foreach (var layer in layers)
        {
            if (training && _layerDrop > 0 && rand(1).item<float>() < _layerDrop) // torch RNG: seeded and resumable
                continue;
            x = layer.call(x, keyMask);
            if (layerOutputs is not null)
                layerOutputs.Add(x.MoveToOuterDisposeScope());
        }
        if (_layerNormFirst)
            x = layer_norm.call(x);
        return x.MoveToOuterDisposeScope();
    }
}
