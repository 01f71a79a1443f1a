using Wav2Vec2Sharp.Evaluation;

namespace Wav2Vec2Sharp.Tests.Evaluation;

public sealed class PairedComparisonTests
{
    /// <summary>200 utterances of 10 words; a hard fifth of them (every fifth) has 3 errors, the rest none.</summary>
    private static ErrorCounts[] Baseline() =>
        Enumerable.Range(0, 200).Select(i => i % 5 == 0 ? new ErrorCounts(7, 3, 0, 0) : new ErrorCounts(10, 0, 0, 0)).ToArray();

    [Fact]
    public void Pairing_shows_a_small_consistent_difference_that_the_separate_intervals_cannot()
    {
        var baseline = Baseline();
        // The same errors plus one more substitution on every tenth utterance: 20 more errors in 2000 words.
        var worse = baseline.Select((c, i) => i % 10 == 1 ? c with { Hits = c.Hits - 1, Substitutions = c.Substitutions + 1 } : c).ToArray();

        var comparison = PairedComparison.Bootstrap(baseline, worse);

        Assert.Equal(200, comparison.Utterances);
        Assert.Equal(0.06, comparison.BaselineRate, 12);
        Assert.Equal(0.07, comparison.Rate, 12);
        Assert.Equal(0.01, comparison.RateDifference, 12);
        Assert.True(comparison.Difference.Low > 0, $"the paired difference's interval {comparison.Difference} excludes no change");
        Assert.InRange(comparison.RateRatio, comparison.Ratio.Low, comparison.Ratio.High);
        Assert.True(comparison.Ratio.Low > 1);
        Assert.Equal(0, comparison.ShareLower);
        // Apart, the two 95 % intervals overlap: neither set alone tells the models apart.
        var a = ErrorRateInterval.Bootstrap(baseline);
        var b = ErrorRateInterval.Bootstrap(worse);
        Assert.True(b.Low < a.High, $"{a} and {b} overlap");
    }

    [Fact]
    public void An_evaluation_compared_with_itself_differs_by_nothing()
    {
        var baseline = Baseline();

        var comparison = PairedComparison.Bootstrap(baseline, baseline);

        Assert.Equal(new ErrorRateInterval(0, 0, 0.95), comparison.Difference);
        Assert.Equal(new ErrorRateInterval(1, 1, 0.95), comparison.Ratio);
        Assert.Equal(0, comparison.ShareLower);
    }

    [Fact]
    public void A_better_evaluation_is_lower_in_most_draws_and_the_same_seed_repeats_it()
    {
        var baseline = Baseline();
        var better = baseline.Select((c, i) => i % 20 == 0 ? new ErrorCounts(10, 0, 0, 0) : c).ToArray();

        var comparison = PairedComparison.Bootstrap(baseline, better, seed: 4);

        Assert.Equal(-0.015, comparison.RateDifference, 12);
        Assert.True(comparison.ShareLower > 0.97, $"lower in {comparison.ShareLower:P1} of draws");
        Assert.Equal(comparison, PairedComparison.Bootstrap(baseline, better, seed: 4));
    }

    [Fact]
    public void Evaluations_of_different_lengths_are_refused()
    {
        var baseline = Baseline();

        var e = Assert.Throws<ArgumentException>(() => PairedComparison.Bootstrap(baseline, baseline[..199]));

        Assert.StartsWith("The evaluations pair utterance by utterance, but one has 200 and the other 199.", e.Message);
        Assert.Throws<ArgumentException>(() => PairedComparison.Bootstrap([], []));
    }
}
