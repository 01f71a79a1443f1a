using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// LayerNorm over the CNN channels, then a Linear up to the Transformer width (HF <c>Wav2Vec2FeatureProjection</c>,
/// keys <c>feature_projection.layer_norm</c> and <c>feature_projection.projection</c>).
/// Input <c>[B, T, C]</c>; returns the projected states <c>[B, T, hidden]</c> and the normalised features
/// <c>[B, T, C]</c> (the quantizer input).
/// </summary>
public sealed class FeatureProjection : nn.Module<Tensor, (Tensor Projected, Tensor Normalized)>
{
    private readonly LayerNorm layer_norm;
    private readonly Linear projection;
    private readonly Dropout dropout;

    /// <summary>Creates the projection.</summary>
    public FeatureProjection(int convDim, int hiddenSize, double eps, double dropoutProbability) : base(nameof(FeatureProjection))
    {
        layer_norm = nn.LayerNorm(convDim, eps);
        projection = nn.Linear(convDim, hiddenSize);
        dropout = nn.Dropout(dropoutProbability);
        Initialization.Norm(layer_norm);
        Initialization.UniformFanIn(projection);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override (Tensor Projected, Tensor Normalized) forward(Tensor features)
    {
        var normalized = layer_norm.call(features);
        using var scope = NewDisposeScope();
        var projected = dropout.call(projection.call(normalized));
        return (projected.MoveToOuterDisposeScope(), normalized);
    }
}
