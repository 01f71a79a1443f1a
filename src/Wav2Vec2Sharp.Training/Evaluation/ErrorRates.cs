namespace Wav2Vec2Sharp.Evaluation;

/// <summary>
/// Word and character error rates from a Levenshtein alignment (unit costs) of a hypothesis with a reference.
/// </summary>
/// <remarks>
/// <para><b>Words</b> are the text split on whitespace; comparison is ordinal (normalise case and punctuation first,
/// e.g. with <see cref="Text.TextNormalizer"/>).</para>
/// <para><b>Characters</b> are Unicode code points of the text with whitespace runs collapsed to one space and the
/// ends trimmed; the spaces between words count as characters (the convention of jiwer's <c>cer</c> and of most
/// CTC fine-tuning reports), so a missing word boundary is one deletion.</para>
/// <para><b>Rates</b>: errors (S + D + I) over reference tokens (S + D + hits). An empty reference gives 0 when the
/// hypothesis is empty too and <see cref="double.NaN"/> otherwise; such utterances still add their insertions to a
/// corpus total, whose rate is total errors over total reference tokens.</para>
/// <para><b>Ties</b>: among alignments with the fewest errors, the one chosen prefers, walking back from the ends,
/// a match or substitution, then a deletion, then an insertion; the counts are those of that alignment.</para>
/// </remarks>
/// <example>
/// <code>
/// var a = ErrorRates.AlignWords("the cat sat on the mat", "the cat sit on mat");
/// // a.Counts: Hits 4, Substitutions 1, Deletions 1, Insertions 0; a.Rate = 2/6
/// var corpus = ErrorRates.Corpus(references, hypotheses);   // corpus.Wer, corpus.Cer
/// </code>
/// </example>
public static class ErrorRates
{
    private const byte Diagonal = 0, Up = 1, Left = 2;

    /// <summary>The words of <paramref name="text"/>: split on whitespace, empty pieces dropped.</summary>
    public static string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The characters of <paramref name="text"/> (code points), whitespace runs as one space, ends trimmed.</summary>
    public static string[] Characters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', Words(text)).EnumerateRunes().Select(r => r.ToString()).ToArray();
    }

    /// <summary>Aligns two token sequences with the fewest substitutions, deletions and insertions.</summary>
    /// <exception cref="ArgumentException">The sequences are too long to align in memory (more than 2³¹ cells).</exception>
    public static Alignment Align(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        int n = reference.Count, m = hypothesis.Count, w = m + 1;
        if ((long)(n + 1) * w > Array.MaxLength)
            throw new ArgumentException($"Cannot align {n} reference tokens with {m} hypothesis tokens: too many cells.", nameof(reference));
        var moves = new byte[(n + 1) * w];
        var previous = new int[w];
        var current = new int[w];
        for (int j = 0; j <= m; j++)
        {
            previous[j] = j;
            moves[j] = Left;
        }
        for (int i = 1; i <= n; i++)
        {
            current[0] = i;
            moves[i * w] = Up;
            for (int j = 1; j <= m; j++)
            {
                int best = previous[j - 1] + (string.Equals(reference[i - 1], hypothesis[j - 1], StringComparison.Ordinal) ? 0 : 1);
                byte move = Diagonal;
                if (previous[j] + 1 < best)
                {
                    best = previous[j] + 1;
                    move = Up;
                }
                if (current[j - 1] + 1 < best)
                {
                    best = current[j - 1] + 1;
                    move = Left;
                }
                current[j] = best;
                moves[i * w + j] = move;
            }
            (previous, current) = (current, previous);
        }
        return new Alignment(Backtrace(reference, hypothesis, moves, w));
    }

    /// <summary>Aligns the words of two texts.</summary>
    public static Alignment AlignWords(string reference, string hypothesis) => Align(Words(reference), Words(hypothesis));

    /// <summary>Aligns the characters of two texts (spaces between words included).</summary>
    public static Alignment AlignCharacters(string reference, string hypothesis) => Align(Characters(reference), Characters(hypothesis));

    /// <summary>The word error rate of one hypothesis.</summary>
    public static double WordErrorRate(string reference, string hypothesis) => AlignWords(reference, hypothesis).Rate;

    /// <summary>The character error rate of one hypothesis.</summary>
    public static double CharacterErrorRate(string reference, string hypothesis) => AlignCharacters(reference, hypothesis).Rate;

    /// <summary>The word error counts of a corpus; its WER is the result's <see cref="ErrorCounts.Rate"/>.</summary>
    public static ErrorCounts WordErrors(IEnumerable<(string Reference, string Hypothesis)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return ErrorCounts.Sum(pairs.Select(p => AlignWords(p.Reference, p.Hypothesis).Counts));
    }

    /// <summary>The character error counts of a corpus; its CER is the result's <see cref="ErrorCounts.Rate"/>.</summary>
    public static ErrorCounts CharacterErrors(IEnumerable<(string Reference, string Hypothesis)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return ErrorCounts.Sum(pairs.Select(p => AlignCharacters(p.Reference, p.Hypothesis).Counts));
    }

    /// <summary>Corpus WER and CER of <paramref name="hypotheses"/> against <paramref name="references"/>, pair by pair.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static CorpusErrorRates Corpus(IReadOnlyList<string> references, IReadOnlyList<string> hypotheses)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(hypotheses);
        if (references.Count != hypotheses.Count)
            throw new ArgumentException($"There are {references.Count} references but {hypotheses.Count} hypotheses.", nameof(hypotheses));
        ErrorCounts words = default, characters = default;
        for (int i = 0; i < references.Count; i++)
        {
            words += AlignWords(references[i], hypotheses[i]).Counts;
            characters += AlignCharacters(references[i], hypotheses[i]).Counts;
        }
        return new CorpusErrorRates(references.Count, words, characters);
    }

    private static List<AlignedToken> Backtrace(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis, byte[] moves, int w)
    {
        var steps = new List<AlignedToken>(Math.Max(reference.Count, hypothesis.Count));
        int i = reference.Count, j = hypothesis.Count;
        while (i > 0 || j > 0)
        {
            switch (i == 0 ? Left : j == 0 ? Up : moves[i * w + j])
            {
                case Diagonal:
                    var r = reference[--i];
                    var h = hypothesis[--j];
                    steps.Add(new AlignedToken(string.Equals(r, h, StringComparison.Ordinal) ? EditOperation.Match : EditOperation.Substitution, r, h));
                    break;
                case Up:
                    steps.Add(new AlignedToken(EditOperation.Deletion, reference[--i], null));
                    break;
                default:
                    steps.Add(new AlignedToken(EditOperation.Insertion, null, hypothesis[--j]));
                    break;
            }
        }
        steps.Reverse();
        return steps;
    }
}
