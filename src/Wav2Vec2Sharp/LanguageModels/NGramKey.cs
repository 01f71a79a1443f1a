namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>A word-id sequence used as a dictionary key: compared by content, hash computed once.</summary>
internal readonly struct NGramKey : IEquatable<NGramKey>
{
    private readonly int _hash;

    public NGramKey(int[] words)
    {
        Words = words;
        var hash = new HashCode();
        foreach (var word in words)
            hash.Add(word);
        _hash = hash.ToHashCode();
    }

    public int[] Words { get; }

    public int Length => Words.Length;

    /// <summary>The key without its last word (the history of an n-gram).</summary>
    public NGramKey Prefix => new(Words[..^1]);

    /// <summary>The key without its first word (the n-gram one order down).</summary>
    public NGramKey Suffix => new(Words[1..]);

    public bool Equals(NGramKey other) => _hash == other._hash && Words.AsSpan().SequenceEqual(other.Words);

    public override bool Equals(object? obj) => obj is NGramKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
