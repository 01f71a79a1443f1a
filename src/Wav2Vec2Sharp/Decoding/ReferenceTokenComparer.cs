namespace Wav2Vec2Sharp.Decoding;

/// <summary>Compares (prefix, token) pairs by prefix identity: the key that merges prefixes reaching the same labelling.</summary>
internal sealed class ReferenceTokenComparer : IEqualityComparer<(BeamPrefix Parent, int Token)>
{
    public static ReferenceTokenComparer Instance { get; } = new();

    public bool Equals((BeamPrefix Parent, int Token) x, (BeamPrefix Parent, int Token) y) =>
        ReferenceEquals(x.Parent, y.Parent) && x.Token == y.Token;

    public int GetHashCode((BeamPrefix Parent, int Token) key) =>
        HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Parent), key.Token);
}
