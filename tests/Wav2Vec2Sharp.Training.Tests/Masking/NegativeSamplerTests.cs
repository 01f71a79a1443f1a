using Wav2Vec2Sharp.Masking;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Masking;

public sealed class NegativeSamplerTests
{
    [Fact]
    public void Distractors_are_other_masked_frames_of_the_same_utterance_never_the_positive()
    {
        manual_seed(4);
        using var mask = SpanMasker.Compute(4, 80, [80, 80, 50, 30], 0.65, 10, 2);

        using var negatives = NegativeSampler.Sample(mask, 100);

        Assert.Equal(new long[] { 4, 80, 100 }, negatives.shape);
        var masked = mask.data<bool>().ToArray();
        var indices = negatives.data<long>().ToArray();
        for (int flat = 0; flat < 4 * 80; flat++)
        {
            if (!masked[flat])
                continue;
            for (int k = 0; k < 100; k++)
            {
                long other = indices[flat * 100 + k];
                Assert.NotEqual(flat, other);
                Assert.True(masked[other], $"frame {flat} drew unmasked frame {other}");
                Assert.Equal(flat / 80, other / 80);
            }
        }
    }

    [Fact]
    public void Each_other_masked_frame_is_equally_likely()
    {
        manual_seed(5);
        var maskValues = new bool[1 * 20];
        for (int t = 3; t < 8; t++)
            maskValues[t] = true; // five masked frames: 3..7
        using var mask = tensor(maskValues, [1, 20]);

        using var negatives = NegativeSampler.Sample(mask, 4000);

        var fromFrame5 = negatives[0, 5].data<long>().ToArray();
        var counts = fromFrame5.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new long[] { 3, 4, 6, 7 }, counts.Keys.Order());
        // 1000 expected each; sd ≈ 27, so ±150 is over 5 sd (odds < 1e-6 per value).
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }
}
