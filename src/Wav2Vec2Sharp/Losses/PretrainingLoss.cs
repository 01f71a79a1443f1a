using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Losses;

/// <summary>The weights of the pretraining objective (fairseq <c>loss_weights</c> and model options).</summary>
public sealed record PretrainingLossOptions
{
    /// <summary>α, weight of the diversity loss (fairseq <c>loss_weights[0]</c>, HF <c>diversity_loss_weight</c>).</summary>
    public double DiversityWeight { get; init; } = 0.1;

    /// <summary>Weight of the feature penalty mean(CNN output²) (fairseq <c>loss_weights[1]</c>: 10 for base, 0 for large; HF has none).</summary>
    public double FeaturePenaltyWeight { get; init; } = 10.0;

    /// <summary>Gradient scale into the CNN (fairseq <c>feature_grad_mult</c>: 0.1 for base, 1 for large).</summary>
    public double FeatureGradMult { get; init; } = 0.1;

    /// <summary>κ dividing the cosine similarities (HF <c>contrastive_logits_temperature</c>).</summary>
    public double LogitTemperature { get; init; } = 0.1;
}

/// <summary>The pretraining loss and what is logged about it; the caller disposes it.</summary>
/// <param name="Loss">Scalar to minimise: contrastive + α·diversity·S + w·penalty·S, S = masked frames (fairseq scaling;
/// divide gradients by S for a per-frame mean).</param>
/// <param name="ContrastiveLoss">Σ over masked frames of −log softmax(logits)[positive].</param>
/// <param name="DiversityLoss">(G·V − perplexity) / (G·V) · S.</param>
/// <param name="FeaturePenalty">mean(CNN output²) (unweighted, unscaled).</param>
/// <param name="Perplexity">Soft codeword perplexity over masked frames (fairseq <c>prob_perplexity</c>).</param>
/// <param name="CodePerplexity">Perplexity of the chosen codewords (fairseq <c>code_perplexity</c>).</param>
/// <param name="Logits">Contrastive logits <c>[K+1, B, T]</c> (positive first).</param>
/// <param name="MaskedFrames">S.</param>
/// <param name="Correct">Masked frames whose highest logit is the positive.</param>
public sealed record PretrainingLossOutput(Tensor Loss, Tensor ContrastiveLoss, Tensor DiversityLoss, Tensor FeaturePenalty,
    Tensor Perplexity, Tensor CodePerplexity, Tensor Logits, long MaskedFrames, long Correct) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in new[] { Loss, ContrastiveLoss, DiversityLoss, FeaturePenalty, Perplexity, CodePerplexity, Logits })
            t.Dispose();
    }
}

/// <summary>The contrastive task of wav2vec 2.0 (paper eq. 3; HF <c>compute_contrastive_logits</c>).</summary>
public static class ContrastiveLoss
{
    /// <summary>
    /// Cosine similarity (fp32) between each context vector and its positive and distractor targets, divided by κ;
    /// a distractor identical to the positive in every dimension gets −∞. Returns <c>[K+1, B, T]</c>.
    /// </summary>
    /// <remarks>
    /// Distractors are frames of the same utterance (as fairseq and HF sample them). The similarities are taken once per
    /// utterance as a <c>[T, T]</c> product of unit vectors and then gathered, instead of gathering K copies of the
    /// targets (<c>[K, B, T, D]</c>), which made this loss a quarter of a CPU pretraining step.
    /// </remarks>
    /// <param name="context">Projected context vectors c_t <c>[B, T, D]</c>.</param>
    /// <param name="targets">Projected quantized vectors q_t <c>[B, T, D]</c>.</param>
    /// <param name="negativeIndices">Flat frame indices <c>b·T + t'</c> of the distractors <c>[B, T, K]</c>, inside utterance b,
    /// or 0 (rows of unmasked frames, whose logits the loss does not use).</param>
    /// <param name="temperature">κ.</param>
    /// <exception cref="ArgumentException">A distractor index other than 0 points outside its own utterance.</exception>
    public static Tensor Logits(Tensor context, Tensor targets, Tensor negativeIndices, double temperature)
    {
        using var scope = NewDisposeScope();
        long B = targets.shape[0], T = targets.shape[1], D = targets.shape[2], K = negativeIndices.shape[2];
        var offsets = HeldScalars.Range(B, negativeIndices.device).Times(T).view(B, 1, 1);
        var local = negativeIndices - offsets; // (B, T, K): frame index within the utterance
        using var frames = T.ToScalar();
        var outside = (local < HeldScalars.Zero) | (local >= frames); // allowed only for flat index 0 (frame 0 of utterance 0)
        if ((outside & (negativeIndices != HeldScalars.Zero)).any().item<bool>())
            throw new ArgumentException("distractor indices must point into their own utterance (flat index b·T + t) or be 0.", nameof(negativeIndices));
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        local = local.masked_fill(outside, HeldScalars.Zero);

        var contextUnit = UnitVectors(context.to_type(ScalarType.Float32));
        var targetUnit = UnitVectors(targets.to_type(ScalarType.Float32));
        var similarity = contextUnit.bmm(targetUnit.transpose(1, 2)); // (B, T, T): cos(c_t, q_t') within each utterance
        var similarityToFirst = contextUnit.matmul(targetUnit[0, 0]).unsqueeze(-1); // (B, T, 1): cos(c_t, q of flat frame 0)
        var positive = similarity.diagonal(0, 1, 2).unsqueeze(-1); // (B, T, 1)
        var negative = similarity.gather(2, local).where(outside.logical_not(), similarityToFirst); // (B, T, K)
        var logits = cat([positive, negative], -1).permute(2, 0, 1).DividedBy(temperature); // (B, T, K+1) -> (K+1, B, T)

        // identical target vectors share an id; a distractor identical to its positive is blocked
        Tensor ids;
        using (no_grad())
            ids = targets.detach().to_type(ScalarType.Float32).reshape(B * T, D).unique(sorted: false, return_inverse: true, dim: 0).inverse_indices!.view(B, T);
        var negativeIds = ids.gather(1, local.view(B, T * K)).view(B, T, K).where(outside.logical_not(), ids[0, 0]);
        var sameAsPositive = negativeIds == ids.unsqueeze(-1); // (B, T, K)
        var blocked = cat([zeros(B, T, 1, dtype: ScalarType.Bool, device: ids.device), sameAsPositive], -1).permute(2, 0, 1);
        return logits.masked_fill(blocked, minusInfinity).MoveToOuterDisposeScope();
    }

    // x / max(‖x‖, 1e-8) along the last axis (torch's cosine_similarity normalises each side this way).
    private static Tensor UnitVectors(Tensor x) =>
        x / x.norm(-1, keepdim: true).clamp_min(MinimumNorm);

    private static readonly Scalar MinimumNorm = 1e-8.ToScalar();

    /// <summary>Cross-entropy with the positive (index 0) as target, summed over the masked frames; also counts the
    /// frames where the positive has the highest logit.</summary>
    /// <param name="logits"><c>[K+1, B, T]</c>.</param>
    /// <param name="maskTimeIndices"><c>[B, T]</c> (bool).</param>
    public static (Tensor Loss, long Correct) Sum(Tensor logits, Tensor maskTimeIndices)
    {
        using var scope = NewDisposeScope();
        var rows = logits.permute(1, 2, 0)[maskTimeIndices]; // (K+1, B, T) -> (B, T, K+1) -> (S, K+1)
        var target = zeros(rows.shape[0], dtype: ScalarType.Int64, device: rows.device);
        var loss = nn.functional.cross_entropy(rows, target, reduction: nn.Reduction.Sum);
        long correct;
        using (no_grad())
            correct = (rows.argmax(-1) == HeldScalars.Zero).sum().item<long>();
        return (loss.MoveToOuterDisposeScope(), correct);
    }
}
