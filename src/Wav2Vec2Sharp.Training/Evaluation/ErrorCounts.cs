namespace Wav2Vec2Sharp.Evaluation;

/// <summary>
/// The outcome of aligning a hypothesis with a reference: hits, substitutions, deletions and insertions. Counts add up,
/// so a corpus total is the sum of its utterances' counts and its <see cref="Rate"/> is total errors over total
/// reference tokens (not the mean of the utterance rates).
/// </summary>
/// <param name="Hits">Reference tokens matched exactly.</param>
/// <param name="Substitutions">Reference tokens replaced by another token.</param>
/// <param name="Deletions">Reference tokens missing from the hypothesis.</param>
/// <param name="Insertions">Hypothesis tokens without a reference token.</param>
public readonly record struct ErrorCounts(int Hits, int Substitutions, int Deletions, int Insertions)
{
    /// <summary>No tokens.</summary>
    public static ErrorCounts Zero => default;

    /// <summary>Substitutions + deletions + insertions (the edit distance).</summary>
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>The number of reference tokens: hits + substitutions + deletions.</summary>
    public int ReferenceLength => Hits + Substitutions + Deletions;

    /// <summary>The number of hypothesis tokens: hits + substitutions + insertions.</summary>
    public int HypothesisLength => Hits + Substitutions + Insertions;

    /// <summary>
    /// <see cref="Errors"/> / <see cref="ReferenceLength"/> (it can exceed 1 when there are insertions). With an empty
    /// reference the rate is 0 when the hypothesis is empty too, and <see cref="double.NaN"/> (undefined) otherwise.
    /// </summary>
    public double Rate => ReferenceLength > 0 ? (double)Errors / ReferenceLength : Errors == 0 ? 0 : double.NaN;

    /// <summary>The counts of two alignments together.</summary>
    public static ErrorCounts operator +(ErrorCounts a, ErrorCounts b) =>
        new(a.Hits + b.Hits, a.Substitutions + b.Substitutions, a.Deletions + b.Deletions, a.Insertions + b.Insertions);

    /// <summary>The counts of all <paramref name="counts"/> together.</summary>
    public static ErrorCounts Sum(IEnumerable<ErrorCounts> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = Zero;
        foreach (var c in counts)
            total += c;
        return total;
    }
}
