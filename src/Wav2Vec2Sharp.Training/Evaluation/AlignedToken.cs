namespace Wav2Vec2Sharp.Evaluation;

/// <summary>One step of an alignment.</summary>
/// <param name="Operation">What the step does.</param>
/// <param name="Reference">The reference token; <see langword="null"/> for an insertion.</param>
/// <param name="Hypothesis">The hypothesis token; <see langword="null"/> for a deletion.</param>
public readonly record struct AlignedToken(EditOperation Operation, string? Reference, string? Hypothesis)
{
    /// <summary>The sclite letter of the operation: <c>C</c>, <c>S</c>, <c>D</c> or <c>I</c>.</summary>
    public char Code => Operation switch
    {
        EditOperation.Match => 'C',
        EditOperation.Substitution => 'S',
        EditOperation.Deletion => 'D',
        _ => 'I',
    };
}
