namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>
/// The history an n-gram model conditions on: the last (at most order − 1) word ids, oldest first. Immutable; compare
/// with <see cref="Equals(LmState)"/>.
/// </summary>
public readonly struct LmState : IEquatable<LmState>
{
    private readonly int[]? _words;

    internal LmState(int[] words) => _words = words;

    /// <summary>The empty history (no sentence start): scores are unigram probabilities.</summary>
    public static LmState Empty => default;

    /// <summary>Number of history words.</summary>
    public int Length => _words?.Length ?? 0;

    /// <summary>The history word id at <paramref name="index"/> (0 = oldest).</summary>
    public int this[int index] => _words![index];

    internal ReadOnlySpan<int> Words => _words;

    /// <inheritdoc/>
    public bool Equals(LmState other) => Words.SequenceEqual(other.Words);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LmState other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in Words)
            hash.Add(word);
        return hash.ToHashCode();
    }

    /// <summary>Whether two histories hold the same words.</summary>
    public static bool operator ==(LmState left, LmState right) => left.Equals(right);

    /// <summary>Whether two histories differ.</summary>
    public static bool operator !=(LmState left, LmState right) => !left.Equals(right);
}
