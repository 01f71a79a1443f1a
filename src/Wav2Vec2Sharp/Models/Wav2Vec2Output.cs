using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Models;

/// <summary>The base model's outputs; the caller disposes them.</summary>
/// <param name="LastHiddenState">Contextual representations <c>[B, T, hidden]</c>.</param>
/// <param name="ExtractFeatures">LayerNorm-ed CNN features <c>[B, T, conv_dim[-1]]</c> (the quantizer input).</param>
/// <param name="FrameMask">Real (not padding) frames <c>[B, T]</c> (bool), or null when no attention mask was given.</param>
/// <param name="ConvFeatures">Raw CNN output <c>[B, T, conv_dim[-1]]</c> before the feature LayerNorm (fairseq's feature penalty input).</param>
public sealed record Wav2Vec2Output(Tensor LastHiddenState, Tensor ExtractFeatures, Tensor? FrameMask, Tensor ConvFeatures) : IDisposable
{
    /// <summary>Moves every tensor to the enclosing dispose scope; returns this.</summary>
    public Wav2Vec2Output MoveToOuterDisposeScope()
    {
        LastHiddenState.MoveToOuterDisposeScope();
        ExtractFeatures.MoveToOuterDisposeScope();
        FrameMask?.MoveToOuterDisposeScope();
        ConvFeatures.MoveToOuterDisposeScope();
        return this;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        LastHiddenState.Dispose();
        ExtractFeatures.Dispose();
        FrameMask?.Dispose();
        ConvFeatures.Dispose();
    }
}
