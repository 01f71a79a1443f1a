using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// The CNN that turns raw 16 kHz audio into 50 Hz latent frames (HF <c>Wav2Vec2FeatureEncoder</c>, key prefix
/// <c>feature_extractor.</c>). Input <c>[B, N]</c> samples, output <c>[B, conv_dim[-1], T]</c> with
/// T = <see cref="Wav2Vec2Config.OutputLength"/>(N).
/// </summary>
public sealed class FeatureEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvLayerBlock> conv_layers = new();

    /// <summary>Builds the conv stack described by <paramref name="config"/>.</summary>
    public FeatureEncoder(Wav2Vec2Config config) : base(nameof(FeatureEncoder))
    {
        int inChannels = 1;
        for (int i = 0; i < config.ConvDim.Count; i++)
        {
            var norm = config.FeatExtractNorm == "layer" ? ConvNorm.Layer : i == 0 ? ConvNorm.Group : ConvNorm.None;
            conv_layers.Add(new ConvLayerBlock(inChannels, config.ConvDim[i], config.ConvKernel[i], config.ConvStride[i],
                config.ConvBias, norm, config.FeatExtractActivation, config.LayerNormEps));
            inChannels = config.ConvDim[i];
        }
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor inputValues)
    {
        using var scope = NewDisposeScope();
        var x = inputValues.unsqueeze(1); // (B, N) -> (B, 1, N)
        foreach (var layer in conv_layers)
            x = layer.call(x);
        return x.MoveToOuterDisposeScope();
    }
}
