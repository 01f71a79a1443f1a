namespace Wav2Vec2Sharp.Evaluation;

/// <summary>
/// A confidence interval of a corpus error rate, from the percentile bootstrap over utterances: the utterances are
/// drawn with replacement as many times as there are, the corpus rate of each draw (total errors over total reference
/// tokens) is computed, and the interval holds the central <see cref="Level"/> of those rates. It says how far the rate
/// could move on another test set of the same size from the same source: on a few hundred utterances a WER of 4 % is
/// roughly 3–5 %, so two models whose intervals overlap widely are not shown to differ by that set.
/// </summary>
/// <param name="Low">The lower bound (a rate: 0.03 is 3 %); NaN when no rate is defined.</param>
/// <param name="High">The upper bound; NaN when no rate is defined.</param>
/// <param name="Level">The share of the bootstrap rates between the bounds, e.g. 0.95.</param>
public readonly record struct ErrorRateInterval(double Low, double High, double Level)
{
    /// <summary>The number of bootstrap draws <see cref="Bootstrap"/> makes unless told otherwise.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Whether both bounds are defined.</summary>
    public bool IsDefined => double.IsFinite(Low) && double.IsFinite(High);

    /// <summary>
    /// The percentile-bootstrap interval of the corpus rate of <paramref name="utterances"/> (each one utterance's
    /// counts). Deterministic for a <paramref name="seed"/>: the same counts in the same order give the same interval.
    /// Draws whose rate is undefined (no reference tokens and some insertions) are left out; when every draw's is, or
    /// there are no utterances, both bounds are NaN.
    /// </summary>
    /// <param name="utterances">Per-utterance counts, in a fixed order.</param>
    /// <param name="level">The coverage, in (0, 1): 0.95 for a 95 % interval.</param>
    /// <param name="resamples">How many bootstrap draws to make (at least 100).</param>
    /// <param name="seed">Seeds the draws.</param>
    public static ErrorRateInterval Bootstrap(IReadOnlyList<ErrorCounts> utterances, double level = 0.95, int resamples = DefaultResamples, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        CheckBootstrap(level, resamples);
        int n = utterances.Count;
        if (n == 0)
            return new ErrorRateInterval(double.NaN, double.NaN, level);
        var errors = new int[n];
        var references = new int[n];
        for (int i = 0; i < n; i++)
        {
            errors[i] = utterances[i].Errors;
            references[i] = utterances[i].ReferenceLength;
        }
        var random = new Random(seed);
        var rates = new List<double>(resamples);
        for (int b = 0; b < resamples; b++)
        {
            long drawnErrors = 0, drawnReferences = 0;
            for (int k = 0; k < n; k++)
            {
                int i = random.Next(n);
                drawnErrors += errors[i];
                drawnReferences += references[i];
            }
            if (drawnReferences > 0)
                rates.Add((double)drawnErrors / drawnReferences);
            else if (drawnErrors == 0)
                rates.Add(0);
        }
        return Percentiles(rates, level);
    }

    /// <summary>Refuses a <paramref name="level"/> outside (0, 1) and fewer than 100 <paramref name="resamples"/>.</summary>
    internal static void CheckBootstrap(double level, int resamples)
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 100);
    }

    /// <summary>The central <paramref name="level"/> of <paramref name="values"/> (sorted in place); NaN bounds when there are none.</summary>
    internal static ErrorRateInterval Percentiles(List<double> values, double level)
    {
        if (values.Count == 0)
            return new ErrorRateInterval(double.NaN, double.NaN, level);
        values.Sort();
        return new ErrorRateInterval(Quantile(values, (1 - level) / 2), Quantile(values, (1 + level) / 2), level);
    }

    /// <summary>The <paramref name="q"/>-quantile of sorted values, linearly interpolated between order statistics.</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
