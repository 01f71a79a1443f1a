using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Masking;

/// <summary>
/// Chooses the time spans to mask (fairseq/HF <c>compute_mask_indices</c> with the fairseq pretraining defaults):
/// for an utterance of L real frames, N = max(⌊mask_prob · L / mask_length + u⌋, min_masks) spans with u ~ U(0, 1)
/// drawn per utterance (random rounding), capped at L − mask_length + 1; span starts are drawn without replacement
/// from [0, L − mask_length], so spans never run past the utterance or into padding, and may overlap. mask_prob is
/// therefore an upper bound on the masked fraction: 0.65 with spans of 10 masks about 49 % of the frames.
/// Randomness comes from torch's default generator, so it is seeded and checkpointed with everything else.
/// </summary>
public static class SpanMasker
{
    /// <summary>Returns the mask <c>[B, T]</c> (bool, true = masked).</summary>
    /// <param name="batch">B.</param>
    /// <param name="frames">T, the padded frame count.</param>
    /// <param name="validFrames">Real frames per utterance (length B), or null when none is padded.</param>
    /// <param name="maskProb">Upper bound on the masked fraction (fairseq <c>mask_prob</c>, HF <c>mask_time_prob</c>).</param>
    /// <param name="maskLength">Span length in frames (fairseq <c>mask_length</c>).</param>
    /// <param name="minMasks">Minimum spans per utterance (fairseq hard-codes 2 in pretraining).</param>
    /// <exception cref="ArgumentException">An utterance is shorter than one span.</exception>
    public static Tensor Compute(long batch, long frames, IReadOnlyList<long>? validFrames, double maskProb, int maskLength, int minMasks)
    {
        if (maskLength < 1)
            throw new ArgumentOutOfRangeException(nameof(maskLength), maskLength, "mask_length must be at least 1");
        var mask = new bool[batch * frames];
        for (int b = 0; b < batch; b++)
        {
            long length = validFrames?[b] ?? frames;
            if (length < maskLength)
                throw new ArgumentException(
                    $"an utterance has {length} frames, fewer than mask_length {maskLength}: use clips of at least {maskLength} frames ({(maskLength - 1) * 320 + 400} samples) or a shorter mask_length");
            long positions = length - maskLength + 1;
            double u;
            using (var uniform = rand(1))
                u = uniform.item<float>();
            long spans = Math.Min(Math.Max((long)(maskProb * length / maskLength + u), minMasks), positions);
            using var permutation = randperm(positions);
            using var starts = permutation[..(int)spans];
            foreach (var start in starts.data<long>())
                Array.Fill(mask, true, (int)(b * frames + start), maskLength);
        }
        return tensor(mask, [batch, frames]);
    }
}
