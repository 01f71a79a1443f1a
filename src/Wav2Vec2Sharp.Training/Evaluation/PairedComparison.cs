namespace Wav2Vec2Sharp.Evaluation;

/// <summary>
/// Two evaluations of the same utterances compared by the paired bootstrap (Bisani and Ney, 2004): the utterance
/// indices are drawn with replacement, both corpus rates are computed on each draw, and the intervals hold the central
/// share of the draws' differences and ratios. Pairing removes what the two share (an utterance hard for both), so a
/// difference can be shown that the two separate intervals would hide. Use it for two models on one test set, or one
/// model on a clean set and on the same utterances through another channel.
/// </summary>
/// <param name="Utterances">The number of paired utterances.</param>
/// <param name="BaselineRate">The baseline's corpus rate.</param>
/// <param name="Rate">The compared evaluation's corpus rate.</param>
/// <param name="Difference">The interval of <see cref="Rate"/> − <see cref="BaselineRate"/> (in rate units: 0.01 is one point).</param>
/// <param name="Ratio">The interval of <see cref="Rate"/> ÷ <see cref="BaselineRate"/>, over the draws where the baseline has errors.</param>
/// <param name="ShareLower">The share of draws where the compared rate is below the baseline's (the "probability of improvement").</param>
public sealed record PairedComparison(int Utterances, double BaselineRate, double Rate, ErrorRateInterval Difference, ErrorRateInterval Ratio, double ShareLower)
{
    /// <summary><see cref="Rate"/> − <see cref="BaselineRate"/>.</summary>
    public double RateDifference => Rate - BaselineRate;

    /// <summary><see cref="Rate"/> ÷ <see cref="BaselineRate"/> (NaN when the baseline has no errors).</summary>
    public double RateRatio => BaselineRate > 0 ? Rate / BaselineRate : double.NaN;

    /// <summary>
    /// Compares <paramref name="candidate"/> with <paramref name="baseline"/>, utterance <c>i</c> of one paired with
    /// utterance <c>i</c> of the other. Deterministic for a <paramref name="seed"/>.
    /// </summary>
    /// <param name="baseline">Per-utterance counts of the baseline evaluation.</param>
    /// <param name="candidate">Per-utterance counts of the same utterances, in the same order, from the compared evaluation.</param>
    /// <param name="level">The coverage of the intervals, in (0, 1).</param>
    /// <param name="resamples">How many bootstrap draws to make (at least 100).</param>
    /// <param name="seed">Seeds the draws.</param>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static PairedComparison Bootstrap(IReadOnlyList<ErrorCounts> baseline, IReadOnlyList<ErrorCounts> candidate, double level = 0.95,
        int resamples = ErrorRateInterval.DefaultResamples, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.Count != candidate.Count)
            throw new ArgumentException($"The evaluations pair utterance by utterance, but one has {baseline.Count} and the other {candidate.Count}.", nameof(candidate));
        if (baseline.Count == 0)
            throw new ArgumentException("There are no utterances to compare.", nameof(baseline));
        ErrorRateInterval.CheckBootstrap(level, resamples);
        int n = baseline.Count;
        var random = new Random(seed);
        var differences = new List<double>(resamples);
        var ratios = new List<double>(resamples);
        int lower = 0;
        for (int b = 0; b < resamples; b++)
        {
            long baseErrors = 0, baseReferences = 0, errors = 0, references = 0;
            for (int k = 0; k < n; k++)
            {
                int i = random.Next(n);
                baseErrors += baseline[i].Errors;
                baseReferences += baseline[i].ReferenceLength;
                errors += candidate[i].Errors;
                references += candidate[i].ReferenceLength;
            }
            if (baseReferences == 0 || references == 0)
                continue;
            double baseRate = (double)baseErrors / baseReferences, rate = (double)errors / references;
            differences.Add(rate - baseRate);
            if (baseErrors > 0)
                ratios.Add(rate / baseRate);
            if (rate < baseRate)
                lower++;
        }
        return new PairedComparison(n, ErrorCounts.Sum(baseline).Rate, ErrorCounts.Sum(candidate).Rate,
            ErrorRateInterval.Percentiles(differences, level), ErrorRateInterval.Percentiles(ratios, level),
            differences.Count > 0 ? (double)lower / differences.Count : double.NaN);
    }
}
