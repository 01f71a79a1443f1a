using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Models;

/// <summary>The pretraining outputs; the caller disposes them.</summary>
/// <param name="ProjectedStates">Context vectors in the comparison space <c>[B, T, proj_codevector_dim]</c> (<c>project_hid</c>).</param>
/// <param name="ProjectedQuantizedStates">Quantized targets in the comparison space <c>[B, T, proj_codevector_dim]</c> (<c>project_q</c>).</param>
/// <param name="CodevectorIndices">Codebook entries chosen per frame <c>[B, T, G]</c>.</param>
/// <param name="CodevectorPerplexity">Scalar perplexity of the codeword distribution.</param>
/// <param name="FrameMask">Real frames <c>[B, T]</c>, or null without an attention mask.</param>
public sealed record PreTrainingOutput(Tensor ProjectedStates, Tensor ProjectedQuantizedStates, Tensor CodevectorIndices,
    Tensor CodevectorPerplexity, Tensor? FrameMask) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        ProjectedStates.Dispose();
        ProjectedQuantizedStates.Dispose();
        CodevectorIndices.Dispose();
        CodevectorPerplexity.Dispose();
        FrameMask?.Dispose();
    }
}

/// <summary>
/// wav2vec 2.0 with the self-supervised head (HF <c>Wav2Vec2ForPreTraining</c>): keys <c>wav2vec2.*</c>,
/// <c>quantizer.codevectors</c>, <c>quantizer.weight_proj</c>, <c>project_hid</c> (hidden → proj_codevector_dim) and
/// <c>project_q</c> (codevector_dim → proj_codevector_dim).
/// </summary>
public sealed class Wav2Vec2ForPreTraining : nn.Module<Tensor, Tensor?, PreTrainingOutput>
{
    private readonly Wav2Vec2Model wav2vec2;
    private readonly Dropout dropout_features;
    private readonly GumbelVectorQuantizer quantizer;
    private readonly Linear project_hid;
    private readonly Linear project_q;

    /// <summary>Builds the model described by <paramref name="config"/> with random weights.</summary>
    public Wav2Vec2ForPreTraining(Wav2Vec2Config config) : base(nameof(Wav2Vec2ForPreTraining))
    {
        wav2vec2 = new Wav2Vec2Model(config);
        dropout_features = nn.Dropout(config.FeatQuantizerDropout);
        quantizer = new GumbelVectorQuantizer(config);
        project_hid = nn.Linear(config.HiddenSize, config.ProjCodevectorDim);
        project_q = nn.Linear(config.CodevectorDim, config.ProjCodevectorDim);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public Wav2Vec2Config Config => wav2vec2.Config;

    /// <summary>The body.</summary>
    public Wav2Vec2Model Wav2Vec2 => wav2vec2;

    /// <summary>The Gumbel quantizer.</summary>
    public GumbelVectorQuantizer Quantizer => quantizer;

    /// <inheritdoc/>
    public override PreTrainingOutput forward(Tensor inputValues, Tensor? attentionMask) => Forward(inputValues, attentionMask, null);

    /// <summary>Runs body and head on audio <c>[B, N]</c>; <paramref name="maskTimeIndices"/> <c>[B, T]</c> selects the masked
    /// frames (replaced by the mask embedding, and the frames the perplexity is taken over).</summary>
    public PreTrainingOutput Forward(Tensor inputValues, Tensor? attentionMask, Tensor? maskTimeIndices)
    {
        using var scope = NewDisposeScope();
        using var body = wav2vec2.Forward(inputValues, attentionMask, maskTimeIndices);
        var projected = project_hid.call(body.LastHiddenState);
        var perplexityFrames = maskTimeIndices ?? body.FrameMask;
        using var quantized = quantizer.Forward(dropout_features.call(body.ExtractFeatures), perplexityFrames, null);
        var projectedQuantized = project_q.call(quantized.Quantized);
        return new PreTrainingOutput(projected.MoveToOuterDisposeScope(), projectedQuantized.MoveToOuterDisposeScope(),
            quantized.CodevectorIndices.alias().MoveToOuterDisposeScope(), quantized.Perplexity.alias().MoveToOuterDisposeScope(),
            body.FrameMask?.alias().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The self-supervised loss for one batch (paper §3.3; HF <c>Wav2Vec2ForPreTraining.forward</c> with fairseq's feature
    /// penalty and gradient scaling). Masked frames are replaced by the mask embedding; the model must predict each
    /// masked frame's quantized latent among its distractors.
    /// </summary>
    /// <param name="inputValues">Audio <c>[B, N]</c>.</param>
    /// <param name="attentionMask">Optional sample mask <c>[B, N]</c>.</param>
    /// <param name="maskTimeIndices">Masked frames <c>[B, T]</c> (bool), e.g. from Wav2Vec2Sharp.Training's <c>Masking.SpanMasker</c>.</param>
    /// <param name="negativeIndices">Distractors <c>[B, T, K]</c>, e.g. from Wav2Vec2Sharp.Training's <c>Masking.NegativeSampler</c>.</param>
    /// <param name="options">Loss weights and gradient scaling.</param>
    /// <param name="gumbelNoise">Optional fixed Gumbel noise <c>[B·T·G, V]</c> (tests); sampled when null.</param>
    public PretrainingLossOutput PretrainingLoss(Tensor inputValues, Tensor? attentionMask, Tensor maskTimeIndices, Tensor negativeIndices,
        PretrainingLossOptions options, Tensor? gumbelNoise = null)
    {
        using var scope = NewDisposeScope();
        // 1. context network on the masked features; CNN gradient scaled by feature_grad_mult
        using var body = wav2vec2.Forward(inputValues, attentionMask, maskTimeIndices, options.FeatureGradMult);
        var featurePenalty = body.ConvFeatures.to_type(ScalarType.Float32).pow(HeldScalars.Two).mean();
        // 2. quantize the (unmasked) latent features; perplexity over the masked frames
        using var quantized = quantizer.Forward(dropout_features.call(body.ExtractFeatures), maskTimeIndices, gumbelNoise);
        // 3. project context and targets into the comparison space
        var context = project_hid.call(body.LastHiddenState);
        var targets = project_q.call(quantized.Quantized);
        // 4. cosine-similarity logits against the positive and K distractors (eq. 3), cross-entropy summed over masked frames
        var logits = ContrastiveLoss.Logits(context, targets, negativeIndices, options.LogitTemperature);
        var (contrastive, correct) = ContrastiveLoss.Sum(logits, maskTimeIndices);
        long masked = maskTimeIndices.sum().item<long>();
        // 5. diversity loss (eq. 4): push the average codeword distribution towards uniform
        double codewords = Config.NumCodevectorGroups * Config.NumCodevectorsPerGroup;
        var diversity = HeldScalars.Minus(codewords, quantized.Perplexity).DividedBy(codewords).Times(masked);
        // 6. total, in fairseq's scale (sum over masked frames)
        var loss = contrastive.Plus(diversity.Times(options.DiversityWeight)).Plus(featurePenalty.Times(options.FeaturePenaltyWeight).Times(masked));
        return new PretrainingLossOutput(loss.MoveToOuterDisposeScope(), contrastive.MoveToOuterDisposeScope(), diversity.MoveToOuterDisposeScope(),
            featurePenalty.MoveToOuterDisposeScope(), quantized.Perplexity.alias().MoveToOuterDisposeScope(),
            quantized.CodePerplexity.alias().MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(), masked, correct);
    }
}
