using TorchSharp;
using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Losses;
using Wav2Vec2Sharp.Masking;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Losses;

public sealed class ContrastiveLogitsTests
{
    // The definition (HF compute_contrastive_logits): gather K copies of the targets, cosine similarity against each,
    // −∞ where a distractor equals the positive in every dimension.
    private static Tensor GatheredLogits(Tensor context, Tensor targets, Tensor negativeIndices, double temperature)
    {
        long B = targets.shape[0], T = targets.shape[1], D = targets.shape[2], K = negativeIndices.shape[2];
        var negatives = targets.reshape(B * T, D).index_select(0, negativeIndices.reshape(-1)).view(B, T, K, D).permute(2, 0, 1, 3);
        var candidates = cat([targets.unsqueeze(0), negatives], 0);
        var logits = nn.functional.cosine_similarity(context, candidates, dim: -1).DividedBy(temperature);
        var identical = (targets.unsqueeze(0) == negatives).all(-1);
        var blocked = cat([zeros(1, B, T, dtype: ScalarType.Bool), identical], 0);
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        return logits.masked_fill(blocked, minusInfinity);
    }

    [Fact]
    public void Per_utterance_similarities_equal_the_gathered_definition_with_gradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        const long B = 3, T = 9, D = 6;
        var contextData = randn(B, T, D);
        var targetData = randn(B, T, D);
        targetData[1, 4] = targetData[1, 2].clone(); // identical targets in utterance 1: blocked when drawn as each other's distractor
        targetData[2, 0] = targetData[0, 0].clone(); // equal to flat frame 0, which unmasked rows point at
        var mask = SpanMasker.Compute(B, T, null, 0.65, 2, 2);
        var negatives = NegativeSampler.Sample(mask, 12);

        var (fastLogits, fastContextGrad, fastTargetGrad) = Evaluate(ContrastiveLoss.Logits);
        var (slowLogits, slowContextGrad, slowTargetGrad) = Evaluate(GatheredLogits);

        Assert.True(slowLogits.isinf().any().item<bool>(), "the case has a blocked distractor");
        Assert.True(fastLogits.isinf().eq(slowLogits.isinf()).all().item<bool>(), "the same distractors are blocked");
        var finite = slowLogits.isfinite();
        TensorAssert.Close(slowLogits.masked_fill(finite.logical_not(), HeldScalars.Zero), fastLogits.masked_fill(finite.logical_not(), HeldScalars.Zero), new Tolerance(1e-5, 1e-5), "logits");
        TensorAssert.Close(slowContextGrad, fastContextGrad, new Tolerance(1e-5, 1e-5), "context gradient");
        TensorAssert.Close(slowTargetGrad, fastTargetGrad, new Tolerance(1e-5, 1e-5), "target gradient");

        (Tensor Logits, Tensor ContextGrad, Tensor TargetGrad) Evaluate(Func<Tensor, Tensor, Tensor, double, Tensor> logitsOf)
        {
            var context = contextData.clone().requires_grad_(true);
            var targets = targetData.clone().requires_grad_(true);
            var logits = logitsOf(context, targets, negatives, 0.1);
            var (loss, _) = ContrastiveLoss.Sum(logits, mask);
            loss.backward();
            return (logits.detach(), context.grad!.clone(), targets.grad!.clone());
        }
    }

    [Fact]
    public void A_distractor_in_another_utterance_is_refused()
    {
        using var scope = NewDisposeScope();
        var context = randn(2, 4, 3);
        var targets = randn(2, 4, 3);
        var negatives = zeros(2, 4, 2, dtype: ScalarType.Int64);
        negatives[0, 1, 0] = tensor(5L); // frame 1 of utterance 1, drawn for utterance 0

        var error = Assert.Throws<ArgumentException>(() => ContrastiveLoss.Logits(context, targets, negatives, 0.1));

        Assert.Contains("own utterance", error.Message);
    }
}
