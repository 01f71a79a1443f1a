using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// The position-wise feed-forward block (HF <c>Wav2Vec2FeedForward</c>, keys <c>feed_forward.intermediate_dense</c> and
/// <c>feed_forward.output_dense</c>): Linear(d → ffn) → activation → dropout → Linear(ffn → d) → dropout.
/// Input and output <c>[B, T, d]</c>.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear intermediate_dense;
    private readonly Linear output_dense;
    private readonly Dropout intermediate_dropout;
    private readonly Dropout output_dropout;
    private readonly string _activation;

    /// <summary>Creates the block from the encoder settings of <paramref name="config"/>.</summary>
    public FeedForward(Wav2Vec2Config config) : base(nameof(FeedForward))
    {
        intermediate_dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        output_dense = nn.Linear(config.IntermediateSize, config.HiddenSize);
        intermediate_dropout = nn.Dropout(config.ActivationDropout);
        output_dropout = nn.Dropout(config.HiddenDropout);
        Initialization.Normal(intermediate_dense, config.InitializerRange);
        Initialization.Normal(output_dense, config.InitializerRange);
        _activation = config.HiddenAct;
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = intermediate_dropout.call(Activations.Apply(_activation, Autocast.Linear(intermediate_dense, x))); // (B, T, d) -> (B, T, ffn)
        return output_dropout.call(Autocast.Linear(output_dense, h)).MoveToOuterDisposeScope();
    }
}
