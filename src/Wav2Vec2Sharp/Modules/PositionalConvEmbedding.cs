using TorchSharp;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// Relative positional information from a wide grouped convolution (HF <c>Wav2Vec2PositionalConvEmbedding</c>,
/// key prefix <c>encoder.pos_conv_embed.</c>): weight-normalised Conv1d (kernel 128, padding 64, 16 groups),
/// drop the last frame when the kernel is even ("SamePad"), activation. Input and output <c>[B, T, hidden]</c>;
/// the encoder adds the output to its input.
/// </summary>
public sealed class PositionalConvEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly WeightNormConv1d conv;
    private readonly bool _removeLastFrame;
    private readonly string _activation;

    /// <summary>Creates the embedding from the encoder settings of <paramref name="config"/>.</summary>
    public PositionalConvEmbedding(Wav2Vec2Config config) : base(nameof(PositionalConvEmbedding))
    {
        conv = new WeightNormConv1d(config.HiddenSize, config.NumConvPosEmbeddings, config.NumConvPosEmbeddingGroups,
            padding: config.NumConvPosEmbeddings / 2);
        _removeLastFrame = config.NumConvPosEmbeddings % 2 == 0;
        _activation = config.FeatExtractActivation;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var x = conv.call(hiddenStates.transpose(1, 2)); // (B, T, C) -> (B, C, T) -> (B, C, T + 1 if even kernel)
        if (_removeLastFrame)
            x = x[.., .., ..^1];
        return Activations.Apply(_activation, x).transpose(1, 2).MoveToOuterDisposeScope(); // (B, C, T) -> (B, T, C)
    }
}
