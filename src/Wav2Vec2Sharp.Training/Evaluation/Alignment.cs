using System.Globalization;
using System.Text;

namespace Wav2Vec2Sharp.Evaluation;

/// <summary>A minimum-edit-distance alignment of a hypothesis with a reference, step by step, with its counts.</summary>
public sealed class Alignment
{
    /// <summary>Creates an alignment from its steps.</summary>
    public Alignment(IEnumerable<AlignedToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Tokens = tokens.ToArray();
        int h = 0, s = 0, d = 0, i = 0;
        foreach (var t in Tokens)
        {
            switch (t.Operation)
            {
                case EditOperation.Match: h++; break;
                case EditOperation.Substitution: s++; break;
                case EditOperation.Deletion: d++; break;
                default: i++; break;
            }
        }
        Counts = new ErrorCounts(h, s, d, i);
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<AlignedToken> Tokens { get; }

    /// <summary>Hits, substitutions, deletions and insertions.</summary>
    public ErrorCounts Counts { get; }

    /// <summary>The error rate (<see cref="ErrorCounts.Rate"/>).</summary>
    public double Rate => Counts.Rate;

    /// <summary>The operation letters, one per step, e.g. <c>"CCSCDC"</c>.</summary>
    public string Codes => string.Concat(Tokens.Select(t => t.Code));

    /// <summary>
    /// The alignment as three lines in columns, sclite style: reference, hypothesis (<c>*</c> marks a gap) and the
    /// letters of the errors.
    /// </summary>
    /// <example>
    /// <code>
    /// REF: the cat sat on the mat
    /// HYP: the cat sit on *** mat
    ///              S      D
    /// </code>
    /// </example>
    public override string ToString()
    {
        var reference = new StringBuilder("REF:");
        var hypothesis = new StringBuilder("HYP:");
        var codes = new StringBuilder("    ");
        foreach (var t in Tokens)
        {
            string r = t.Reference ?? new string('*', Math.Max(1, new StringInfo(t.Hypothesis ?? "").LengthInTextElements));
            string h = t.Hypothesis ?? new string('*', Math.Max(1, new StringInfo(t.Reference ?? "").LengthInTextElements));
            int width = Math.Max(new StringInfo(r).LengthInTextElements, new StringInfo(h).LengthInTextElements);
            Append(reference, r, width);
            Append(hypothesis, h, width);
            Append(codes, t.Operation == EditOperation.Match ? "" : t.Code.ToString(), width);
        }
        return string.Join('\n', reference.ToString(), hypothesis.ToString(), codes.ToString().TrimEnd());
    }

    private static void Append(StringBuilder line, string token, int width) =>
        line.Append(' ').Append(token).Append(' ', width - new StringInfo(token).LengthInTextElements);
}
