namespace Wav2Vec2Sharp.Decoding;

/// <summary>
/// A read-only trie over vocabulary token ids (node 0 is the root): spellings of lexicon words, LM words or hotword
/// phrases. Edges live in one hash table keyed by (node, token).
/// </summary>
internal sealed class CharacterTrie
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<bool> _isEnd = [false];

    /// <summary>Adds the spellings of <paramref name="entries"/> that <paramref name="spell"/> can map to token ids.</summary>
    public CharacterTrie(IEnumerable<string> entries, Func<string, int[]?> spell)
    {
        foreach (var entry in entries)
        {
            if (spell(entry) is not { Length: > 0 } tokens)
                continue;
            int node = 0;
            foreach (var token in tokens)
            {
                if (!_edges.TryGetValue(Key(node, token), out int child))
                {
                    child = _isEnd.Count;
                    _isEnd.Add(false);
                    _edges.Add(Key(node, token), child);
                }
                node = child;
            }
            _isEnd[node] = true;
            Count++;
        }
    }

    /// <summary>Number of entries added.</summary>
    public int Count { get; }

    /// <summary>The child of <paramref name="node"/> along <paramref name="token"/>, or −1.</summary>
    public int Child(int node, int token) => node >= 0 && _edges.TryGetValue(Key(node, token), out int child) ? child : -1;

    /// <summary>Whether an entry ends at <paramref name="node"/>.</summary>
    public bool IsEnd(int node) => node >= 0 && _isEnd[node];

    private static long Key(int node, int token) => ((long)node << 32) | (uint)token;
}
