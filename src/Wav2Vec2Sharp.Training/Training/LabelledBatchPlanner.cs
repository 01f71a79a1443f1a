namespace Wav2Vec2Sharp.Training;

/// <summary>
/// Fine-tuning batches: clips sorted by length and packed so that batch size × longest clip ≤ max tokens (little padding),
/// the batch order shuffled per epoch from the seed. Deterministic for (seed, epoch).
/// </summary>
public sealed class LabelledBatchPlanner
{
    private readonly List<int[]> _batches = [];
    private readonly int _seed;

    /// <summary>Plans batches for clips of the given sample counts.</summary>
    public LabelledBatchPlanner(IReadOnlyList<int> lengths, int maxTokens, int seed)
    {
        _seed = seed;
        var order = Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).ThenBy(i => i).ToList();
        var current = new List<int>();
        foreach (var index in order)
        {
            if (current.Count > 0 && (current.Count + 1L) * lengths[index] > maxTokens)
            {
                _batches.Add([.. current]);
                current.Clear();
            }
            current.Add(index);
        }
        if (current.Count > 0)
            _batches.Add([.. current]);
    }

    /// <summary>Batches per epoch.</summary>
    public int Count => _batches.Count;

    /// <summary>The batches of <paramref name="epoch"/>, in that epoch's order.</summary>
    public IReadOnlyList<int[]> PlanEpoch(int epoch)
    {
        var random = new Random(unchecked(_seed * 1_000_003 + epoch) & int.MaxValue); // not HashCode: it is salted per process
        return _batches.OrderBy(_ => random.Next()).ToList();
    }
}
