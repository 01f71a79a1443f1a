using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// One Transformer layer (HF <c>Wav2Vec2EncoderLayer</c> / <c>Wav2Vec2EncoderLayerStableLayerNorm</c>, key prefix
/// <c>encoder.layers.N.</c>). Post-LN (base): <c>x = LN(x + attn(x)); x = LN'(x + ffn(x))</c>.
/// Pre-LN "stable" (large, XLS-R): <c>x = x + attn(LN(x)); x = x + ffn(LN'(x))</c>.
/// Input and output <c>[B, T, d]</c>; optional key mask <c>[B, 1, 1, T]</c>.
/// </summary>
public sealed class EncoderLayer : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly SelfAttention attention;
    private readonly Dropout dropout;
    private readonly LayerNorm layer_norm;
    private readonly FeedForward feed_forward;
    private readonly LayerNorm final_layer_norm;
    private readonly bool _layerNormFirst;

    /// <summary>Creates a layer; <see cref="Wav2Vec2Config.DoStableLayerNorm"/> chooses pre-LN.</summary>
    public EncoderLayer(Wav2Vec2Config config) : base(nameof(EncoderLayer))
    {
        attention = new SelfAttention(config.HiddenSize, config.NumAttentionHeads, config.AttentionDropout, config.InitializerRange);
        dropout = nn.Dropout(config.HiddenDropout);
        layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        feed_forward = new FeedForward(config);
        final_layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        Initialization.Norm(layer_norm);
        Initialization.Norm(final_layer_norm);
        _layerNormFirst = config.DoStableLayerNorm;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        if (_layerNormFirst)
        {
            y = x.Plus(dropout.call(attention.call(layer_norm.call(x), keyMask)));
            y = y.Plus(feed_forward.call(final_layer_norm.call(y)));
        }
        else
        {
            y = layer_norm.call(x.Plus(dropout.call(attention.call(x, keyMask))));
            y = final_layer_norm.call(y.Plus(feed_forward.call(y)));
        }
        return y.MoveToOuterDisposeScope();
    }
}
