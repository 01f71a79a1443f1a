namespace Wav2Vec2Sharp.Evaluation;

/// <summary>What an alignment step does with a reference and a hypothesis token.</summary>
public enum EditOperation
{
    /// <summary>The tokens are equal (a hit; sclite's <c>C</c>).</summary>
    Match,

    /// <summary>The hypothesis has another token in place of the reference token (<c>S</c>).</summary>
    Substitution,

    /// <summary>The reference token is missing from the hypothesis (<c>D</c>).</summary>
    Deletion,

    /// <summary>The hypothesis has a token the reference lacks (<c>I</c>).</summary>
    Insertion,
}
