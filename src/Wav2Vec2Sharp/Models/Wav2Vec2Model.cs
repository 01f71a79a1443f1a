using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Models;

/// <summary>
/// The wav2vec 2.0 body (HF <c>Wav2Vec2Model</c>): feature encoder → feature projection → (masked time steps replaced
/// by <c>masked_spec_embed</c>) → Transformer encoder. State-dict keys are exactly HF's (no prefix).
/// </summary>
public sealed class Wav2Vec2Model : nn.Module<Tensor, Tensor?, Wav2Vec2Output>
{
    private readonly Parameter? masked_spec_embed;
    private readonly FeatureEncoder feature_extractor;
    private readonly FeatureProjection feature_projection;
    private readonly Modules.TransformerEncoder encoder;

    /// <summary>Builds the body described by <paramref name="config"/> (validated first), with random weights.</summary>
    public Wav2Vec2Model(Wav2Vec2Config config) : base(nameof(Wav2Vec2Model))
    {
        Config = config.Validate();
        // HF creates the mask embedding only when some masking is configured; its presence decides the key set.
        if (config.MaskTimeProb > 0 || config.MaskFeatureProb > 0)
            masked_spec_embed = new Parameter(empty(config.HiddenSize).uniform_(0.0, 1.0));
        feature_extractor = new FeatureEncoder(config);
        feature_projection = new FeatureProjection(config.ConvDim[^1], config.HiddenSize, config.LayerNormEps, config.FeatProjDropout);
        encoder = new Modules.TransformerEncoder(config);
        RegisterComponents();
    }

    /// <summary>The architecture this model was built from.</summary>
    public Wav2Vec2Config Config { get; }

    /// <summary>The CNN feature encoder.</summary>
    public FeatureEncoder FeatureExtractor => feature_extractor;

    /// <summary>The feature projection.</summary>
    public FeatureProjection FeatureProjection => feature_projection;

    /// <summary>The Transformer context network.</summary>
    public Modules.TransformerEncoder Encoder => encoder;

    /// <summary>Runs the body on <paramref name="inputValues"/> <c>[B, N]</c> (float, 16 kHz).</summary>
    /// <param name="inputValues">Raw (normalised) audio, right-padded to the longest clip.</param>
    /// <param name="attentionMask">Optional <c>[B, N]</c> sample mask (1 = real sample, 0 = padding).</param>
    public override Wav2Vec2Output forward(Tensor inputValues, Tensor? attentionMask) => Forward(inputValues, attentionMask, null);

    /// <summary>As <see cref="forward"/>; <paramref name="maskTimeIndices"/> <c>[B, T]</c> (bool) marks frames whose projected
    /// features are replaced by <c>masked_spec_embed</c> before the encoder (span masking for pretraining).</summary>
    /// <param name="inputValues">Audio <c>[B, N]</c>.</param>
    /// <param name="attentionMask">Optional sample mask <c>[B, N]</c>.</param>
    /// <param name="maskTimeIndices">Optional frames to mask <c>[B, T]</c>.</param>
    /// <param name="featureGradMult">Scale of the gradient flowing into the CNN (fairseq <c>feature_grad_mult</c>): 1 trains it
    /// normally, 0.1 is the base recipe, 0 freezes it (the CNN then runs without building a graph).</param>
    /// <param name="maskFeatureIndices">Optional hidden channels to zero at every frame <c>[B, hidden]</c> (bool; SpecAugment-style
    /// channel masking in fine-tuning, applied after time masking as in fairseq and HF).</param>
    public Wav2Vec2Output Forward(Tensor inputValues, Tensor? attentionMask, Tensor? maskTimeIndices, double featureGradMult = 1.0,
        Tensor? maskFeatureIndices = null)
    {
        using var scope = NewDisposeScope();
        Tensor features;
        if (featureGradMult == 0)
        {
            using var noGrad = no_grad();
            features = feature_extractor.call(inputValues);
        }
        else
        {
            features = feature_extractor.call(inputValues);
            if (featureGradMult != 1.0 && features.requires_grad)
                features = features.Times(featureGradMult).Plus(features.detach().Times(1.0 - featureGradMult)); // identity forward, scaled gradient
        }
        features = features.transpose(1, 2); // (B, C, T) -> (B, T, C)
        var frameMask = attentionMask is null ? null : FrameMask(attentionMask, features.shape[1]);
        return ForwardFeatures(features, frameMask, maskTimeIndices, maskFeatureIndices).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The body after the CNN: feature projection → time/channel masking → Transformer, from CNN features computed
    /// earlier (e.g. cached while the feature encoder is frozen in fine-tuning).
    /// </summary>
    /// <param name="features">Raw CNN output <c>[B, T, conv_dim[-1]]</c>, right-padded.</param>
    /// <param name="frameMask">Real frames <c>[B, T]</c> (bool), or null when no clip is padded.</param>
    /// <param name="maskTimeIndices">Optional frames to mask <c>[B, T]</c>.</param>
    /// <param name="maskFeatureIndices">Optional hidden channels to zero <c>[B, hidden]</c>.</param>
    /// <returns>The outputs; <see cref="Wav2Vec2Output.FrameMask"/> is an alias of <paramref name="frameMask"/>.</returns>
    public Wav2Vec2Output ForwardFeatures(Tensor features, Tensor? frameMask, Tensor? maskTimeIndices = null, Tensor? maskFeatureIndices = null)
    {
        using var scope = NewDisposeScope();
        var (hidden, normalized) = feature_projection.call(features);
        if (maskTimeIndices is not null)
        {
            if (masked_spec_embed is null)
                throw new InvalidOperationException("mask_time_indices were given, but the model has no masked_spec_embed (mask_time_prob and mask_feature_prob are 0).");
            hidden = hidden.where(maskTimeIndices.logical_not().unsqueeze(-1), masked_spec_embed.to_type(hidden.dtype));
        }
        if (maskFeatureIndices is not null)
        {
            hidden = hidden.masked_fill(maskFeatureIndices.unsqueeze(1), HeldScalars.Zero); // (B, C) -> (B, 1, C): same channels at every frame
        }
        var output = encoder.call(hidden, frameMask);
        return new Wav2Vec2Output(output, normalized, frameMask?.alias(), features.alias()).MoveToOuterDisposeScope();
    }

    /// <summary>Frames per clip for clips of <paramref name="sampleLengths"/> samples <c>[B]</c> (int64), by the conv formula.</summary>
    /// <remarks>Computed on the host with <see cref="Wav2Vec2Config.OutputLength"/>: a handful of integers, no tensor
    /// arithmetic with scalar operands.</remarks>
    public Tensor FrameLengths(Tensor sampleLengths)
    {
        using var scope = NewDisposeScope();
        var samples = sampleLengths.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var frames = Array.ConvertAll(samples, Config.OutputLength);
        return tensor(frames, device: sampleLengths.device).MoveToOuterDisposeScope();
    }

    /// <summary>Frame-level mask <c>[B, T]</c> (bool) from a sample-level attention mask <c>[B, N]</c>.</summary>
    public Tensor FrameMask(Tensor attentionMask, long frames)
    {
        using var scope = NewDisposeScope();
        var lengths = FrameLengths(attentionMask.to_type(ScalarType.Int64).sum(-1));
        return (HeldScalars.Range(frames, attentionMask.device).unsqueeze(0) < lengths.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
