using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Models;

/// <summary>The CTC outputs; the caller disposes them.</summary>
/// <param name="Logits">Unnormalised per-frame scores <c>[B, T, vocab_size]</c>.</param>
/// <param name="FrameLengths">Real frames per clip <c>[B]</c> (int64); all T when no attention mask was given.</param>
public sealed record CtcOutput(Tensor Logits, Tensor FrameLengths) : IDisposable
{
    /// <summary>Moves both tensors to the enclosing dispose scope; returns this.</summary>
    public CtcOutput MoveToOuterDisposeScope()
    {
        Logits.MoveToOuterDisposeScope();
        FrameLengths.MoveToOuterDisposeScope();
        return this;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Logits.Dispose();
        FrameLengths.Dispose();
    }
}

/// <summary>
/// wav2vec 2.0 with a linear CTC head (HF <c>Wav2Vec2ForCTC</c>): keys <c>wav2vec2.*</c> for the body and
/// <c>lm_head.weight</c> <c>[vocab_size, hidden]</c>, <c>lm_head.bias</c>.
/// </summary>
public sealed class Wav2Vec2ForCtc : nn.Module<Tensor, Tensor?, CtcOutput>
{
    private readonly Wav2Vec2Model wav2vec2;
    private readonly Dropout dropout;
    private readonly Linear lm_head;

    /// <summary>Builds the model described by <paramref name="config"/> with random weights.</summary>
    public Wav2Vec2ForCtc(Wav2Vec2Config config) : base(nameof(Wav2Vec2ForCtc))
    {
        wav2vec2 = new Wav2Vec2Model(config);
        dropout = nn.Dropout(config.FinalDropout);
        lm_head = nn.Linear(config.HiddenSize, config.VocabSize);
        Modules.Initialization.Normal(lm_head, config.InitializerRange);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public Wav2Vec2Config Config => wav2vec2.Config;

    /// <summary>The body.</summary>
    public Wav2Vec2Model Wav2Vec2 => wav2vec2;

    /// <summary>Logits <c>[B, T, vocab]</c> for audio <c>[B, N]</c> with an optional sample mask <c>[B, N]</c>.</summary>
    public override CtcOutput forward(Tensor inputValues, Tensor? attentionMask) => Forward(inputValues, attentionMask, null, null, 1.0, false);

    /// <summary>The fine-tuning forward pass: optional time mask <c>[B, T]</c> and channel mask <c>[B, hidden]</c> (bool),
    /// gradient scale into the CNN (0 freezes it), and <paramref name="freezeBody"/> to train only <c>lm_head</c>.</summary>
    public CtcOutput Forward(Tensor inputValues, Tensor? attentionMask, Tensor? maskTimeIndices, Tensor? maskFeatureIndices,
        double featureGradMult, bool freezeBody)
    {
        using var scope = NewDisposeScope();
        Wav2Vec2Output body;
        using (var noGrad = freezeBody ? no_grad() : null)
            body = wav2vec2.Forward(inputValues, attentionMask, maskTimeIndices, featureGradMult, maskFeatureIndices);
        return Head(body).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The forward pass from CNN features computed earlier (<see cref="Models.Wav2Vec2Model.ForwardFeatures"/>): used while
    /// the feature encoder is frozen, when each clip's features can be computed once.
    /// </summary>
    /// <param name="features">Raw CNN output <c>[B, T, conv_dim[-1]]</c>, right-padded.</param>
    /// <param name="frameMask">Real frames <c>[B, T]</c> (bool), or null when no clip is padded.</param>
    /// <param name="maskTimeIndices">Optional frames to mask <c>[B, T]</c>.</param>
    /// <param name="maskFeatureIndices">Optional hidden channels to zero <c>[B, hidden]</c>.</param>
    /// <param name="freezeBody">Train only <c>lm_head</c> (the body runs without a graph).</param>
    public CtcOutput ForwardFeatures(Tensor features, Tensor? frameMask, Tensor? maskTimeIndices, Tensor? maskFeatureIndices, bool freezeBody)
    {
        using var scope = NewDisposeScope();
        Wav2Vec2Output body;
        using (var noGrad = freezeBody ? no_grad() : null)
            body = wav2vec2.ForwardFeatures(features, frameMask, maskTimeIndices, maskFeatureIndices);
        return Head(body).MoveToOuterDisposeScope();
    }

    // dropout → lm_head on the body's last hidden state; frame lengths from its frame mask.
    private CtcOutput Head(Wav2Vec2Output body)
    {
        using var bodyScope = body;
        var logits = lm_head.call(dropout.call(body.LastHiddenState));
        if (body.FrameMask is { } mask)
            return new CtcOutput(logits, mask.sum(-1));
        using var frames = logits.shape[1].ToScalar();
        return new CtcOutput(logits, full(logits.shape[0], frames, dtype: ScalarType.Int64, device: logits.device));
    }
}
