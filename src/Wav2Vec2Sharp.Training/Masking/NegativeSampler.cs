using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Masking;

/// <summary>
/// Draws the distractors of the contrastive task (fairseq <c>sample_negatives</c>, HF <c>_sample_negative_indices</c>):
/// for every masked frame, K frames drawn uniformly with replacement from the OTHER masked frames of the same
/// utterance (draw from n − 1 and skip over the frame itself, which keeps the draw uniform and never picks the
/// positive). Indices point into the flattened <c>[B·T]</c> frame axis; unmasked frames get index 0 (unused).
/// An utterance with a single masked frame has no distractor: its frame points at itself, and the loss gives
/// such (identical) distractors a logit of −∞.
/// </summary>
public static class NegativeSampler
{
    /// <summary>Returns <c>[B, T, K]</c> (int64) flat frame indices.</summary>
    /// <param name="maskTimeIndices">Masked frames <c>[B, T]</c> (bool).</param>
    /// <param name="numNegatives">K (fairseq <c>num_negatives</c>, 100 in the paper).</param>
    public static Tensor Sample(Tensor maskTimeIndices, int numNegatives)
    {
        using var scope = NewDisposeScope();
        long B = maskTimeIndices.shape[0], T = maskTimeIndices.shape[1];
        var result = zeros(B * T, numNegatives, dtype: ScalarType.Int64);
        for (long b = 0; b < B; b++)
        {
            var masked = maskTimeIndices[b].nonzero().view(-1).Plus(b * T); // flat indices of this utterance's masked frames
            long n = masked.shape[0];
            if (n == 0)
                continue;
            Tensor choice;
            if (n == 1)
                choice = zeros(1, numNegatives, dtype: ScalarType.Int64);
            else
            {
                choice = randint(n - 1, [n, numNegatives]); // (n, K) in [0, n − 2]
                choice = choice.Plus((choice >= HeldScalars.Range(n).unsqueeze(1)).to_type(ScalarType.Int64)); // skip the frame itself
            }
            result.index_copy_(0, masked, masked[choice]);
        }
        return result.view(B, T, numNegatives).MoveToOuterDisposeScope();
    }
}
