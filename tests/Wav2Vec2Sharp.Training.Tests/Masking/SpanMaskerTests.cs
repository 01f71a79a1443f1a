using Wav2Vec2Sharp.Masking;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Masking;

public sealed class SpanMaskerTests
{
    // Exact expectation for one utterance: a frame covered by c of the P possible starts stays unmasked with
    // probability C(P − c, N) / C(P, N); N is ⌊p·L/M⌋ or that plus one, by the fractional part.
    private static double ExpectedMaskedFraction(int length, double maskProb, int maskLength, int minMasks)
    {
        int positions = length - maskLength + 1;
        double raw = maskProb * length / maskLength;
        var spanCounts = new[] { ((int)Math.Floor(raw), 1 - (raw - Math.Floor(raw))), ((int)Math.Floor(raw) + 1, raw - Math.Floor(raw)) };
        double expected = 0;
        foreach (var (count, weight) in spanCounts)
        {
            int n = Math.Min(Math.Max(count, minMasks), positions);
            for (int t = 0; t < length; t++)
            {
                int covering = Math.Min(t, positions - 1) - Math.Max(0, t - maskLength + 1) + 1;
                double unmasked = 1;
                for (int i = 0; i < n; i++)
                    unmasked *= (double)(positions - covering - i) / (positions - i);
                expected += weight * (1 - Math.Max(0, unmasked)) / length;
            }
        }
        return expected;
    }

    [Fact]
    public void Masked_fraction_matches_the_exact_expectation_of_the_fairseq_recipe()
    {
        manual_seed(1);
        const int utterances = 400, length = 250;

        using var mask = SpanMasker.Compute(utterances, length, null, 0.65, 10, 2);

        double observed = mask.to_type(ScalarType.Float64).mean().item<double>();
        double expected = ExpectedMaskedFraction(length, 0.65, 10, 2);
        // Per-utterance fractions have sd < 0.05, so the mean of 400 has sd < 0.0025: a 0.015 miss has odds < 1e-9.
        Assert.InRange(observed, expected - 0.015, expected + 0.015);
        Assert.InRange(expected, 0.46, 0.50); // the paper's "about 49 %"
    }

    [Fact]
    public void Padding_is_never_masked_and_spans_stay_whole()
    {
        manual_seed(2);
        long[] valid = [120, 37, 10];

        using var mask = SpanMasker.Compute(3, 120, valid, 0.65, 10, 2);

        var rows = mask.to_type(ScalarType.Int32).data<int>().ToArray();
        for (int b = 0; b < 3; b++)
        {
            var row = rows.Skip(b * 120).Take(120).ToArray();
            Assert.All(row.Skip((int)valid[b]), m => Assert.Equal(0, m));
            Assert.True(row.Sum() >= 10, "at least one whole span");
            // every run of masked frames is at least one span long
            int run = 0;
            foreach (var m in row.Append(0))
            {
                if (m == 1) run++;
                else { Assert.True(run == 0 || run >= 10, $"run of {run}"); run = 0; }
            }
        }
        Assert.Equal(10, rows.Skip(240).Take(10).Sum()); // a 10-frame utterance is masked whole
    }

    [Fact]
    public void Min_masks_applies_when_the_rate_alone_gives_fewer_spans()
    {
        manual_seed(3);

        using var mask = SpanMasker.Compute(200, 60, null, 0.0, 5, 2);

        var counts = mask.sum(1).data<long>().ToArray();
        Assert.All(counts, c => Assert.InRange(c, 6, 10)); // two spans of 5, overlapping or not
    }

    [Fact]
    public void An_utterance_shorter_than_a_span_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => SpanMasker.Compute(2, 50, [50, 7], 0.65, 10, 2));

        Assert.Equal("an utterance has 7 frames, fewer than mask_length 10: use clips of at least 10 frames (3280 samples) or a shorter mask_length", error.Message);
    }
}
