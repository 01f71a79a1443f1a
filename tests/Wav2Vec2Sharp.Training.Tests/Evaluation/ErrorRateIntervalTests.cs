using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Evaluation;

namespace Wav2Vec2Sharp.Tests.Evaluation;

public sealed class ErrorRateIntervalTests
{
    /// <summary><paramref name="count"/> utterances of 10 words, each word wrong with probability <paramref name="p"/>.</summary>
    private static ErrorCounts[] BinomialUtterances(int count, double p, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int wrong = Enumerable.Range(0, 10).Count(_ => random.NextDouble() < p);
            return new ErrorCounts(10 - wrong, wrong, 0, 0);
        }).ToArray();
    }

    [Fact]
    public void The_interval_matches_the_binomial_normal_approximation_for_independent_words()
    {
        var utterances = BinomialUtterances(400, 0.1, seed: 3);
        double rate = ErrorCounts.Sum(utterances).Rate;

        var interval = ErrorRateInterval.Bootstrap(utterances);

        // With independent words the corpus rate's standard error is sqrt(r (1 - r) / words): 4000 words here.
        double halfWidth = 1.96 * Math.Sqrt(rate * (1 - rate) / 4000);
        Assert.Equal(0.95, interval.Level);
        Assert.InRange(interval.High - interval.Low, 2 * halfWidth * 0.85, 2 * halfWidth * 1.15);
        Assert.InRange(rate, interval.Low, interval.High);
        Assert.InRange((interval.Low + interval.High) / 2, rate - 0.15 * halfWidth, rate + 0.15 * halfWidth);
    }

    [Fact]
    public void Four_times_the_utterances_halve_the_width()
    {
        var utterances = BinomialUtterances(200, 0.05, seed: 5);
        var fourTimes = Enumerable.Repeat(utterances, 4).SelectMany(u => u).ToArray();

        var narrow = ErrorRateInterval.Bootstrap(fourTimes);
        var wide = ErrorRateInterval.Bootstrap(utterances);

        Assert.InRange((narrow.High - narrow.Low) / (wide.High - wide.Low), 0.42, 0.58);
    }

    [Fact]
    public void The_same_counts_and_seed_give_the_same_interval_and_another_seed_a_close_one()
    {
        var utterances = BinomialUtterances(150, 0.2, seed: 7);

        var first = ErrorRateInterval.Bootstrap(utterances, seed: 1);
        var again = ErrorRateInterval.Bootstrap(utterances, seed: 1);
        var other = ErrorRateInterval.Bootstrap(utterances, seed: 2);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Low, other.Low, 0.01);
        Assert.Equal(first.High, other.High, 0.01);
    }

    [Fact]
    public void A_set_without_errors_gives_zero_and_an_empty_set_no_interval()
    {
        var perfect = Enumerable.Repeat(new ErrorCounts(5, 0, 0, 0), 20).ToArray();

        Assert.Equal(new ErrorRateInterval(0, 0, 0.9), ErrorRateInterval.Bootstrap(perfect, level: 0.9));
        Assert.False(ErrorRateInterval.Bootstrap([]).IsDefined);
        Assert.False(ErrorRateInterval.Bootstrap([new ErrorCounts(0, 0, 0, 3)]).IsDefined);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_level_outside_the_open_unit_interval_is_refused(double level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorRateInterval.Bootstrap([new ErrorCounts(1, 0, 0, 0)], level));
    }

    [Fact]
    public void The_summary_holds_the_intervals_around_its_rates()
    {
        var report = new EvaluationReport();
        for (int i = 0; i < 60; i++)
            report.Add($"u{i}", "one two three four", i % 3 == 0 ? "one two tree four" : "one two three four");

        var summary = JsonNode.Parse(report.SummaryJson())!.AsObject();

        var wer = summary["wer_interval_95"]!.AsArray();
        Assert.Equal(report.WordErrorRateInterval().Low, (double)wer[0]!);
        Assert.Equal(report.WordErrorRateInterval().High, (double)wer[1]!);
        Assert.InRange((double)summary["wer"]!, (double)wer[0]!, (double)wer[1]!);
        Assert.True((double)wer[0]! > 0.04 && (double)wer[1]! < 0.14, $"{wer[0]}..{wer[1]} around 1/12");
        var cer = summary["cer_interval_95"]!.AsArray();
        Assert.InRange((double)summary["cer"]!, (double)cer[0]!, (double)cer[1]!);
    }
}
