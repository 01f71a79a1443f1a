using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Data;

/// <summary>
/// Groups manifest entries into pre-training batches the way fairseq does for wav2vec 2.0
/// (<c>RawAudioDataset</c> without padding, <c>data_utils.batch_by_size</c>, <c>EpochBatchIterator</c>).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Clips shorter than <c>minSampleSize</c> are dropped (<see cref="DroppedCount"/>); each kept clip's size is
/// its length capped at <c>maxSampleSize</c>, the longest crop it will ever get.</item>
/// <item>The kept clips are sorted by size, longest first; ties (notably all clips of at least <c>maxSampleSize</c>)
/// are broken by a random permutation drawn from the seed (fairseq's <c>ordered_indices</c> with shuffling).</item>
/// <item>Batches are formed greedily in that order (fairseq's <c>batch_by_size</c>): a clip starts a new batch when
/// adding it would make (clips in the batch) × (largest size in the batch) exceed <c>maxTokens</c>, or the batch already
/// holds <c>maxBatchSize</c> clips. A full batch is cut to a multiple of <c>batchSizeMultiple</c> when it holds at least
/// that many clips, the rest carried into the next. Every batch is cropped (without padding) to its shortest size,
/// <see cref="BatchPlan.CropLength"/> = min(shortest clip, <c>maxSampleSize</c>), so
/// <c>Count × CropLength ≤ Count × largest size ≤ maxTokens</c>.</item>
/// <item>The batches are fixed for the seed; each epoch visits all of them once, in an order shuffled by (seed, epoch)
/// (fairseq shuffles the batch list with <c>seed + epoch</c> and reuses the batches across epochs).</item>
/// </list>
/// Everything is deterministic for (entries, settings, seed, epoch), using <see cref="SplitMix64"/> rather than
/// <see cref="Random"/>, so plans are identical across .NET versions, which an exact resume relies on.
/// </remarks>
public sealed class PretrainingBatcher
{
    private const long TieBreakStream = 0x7469655F62726B; // "tie_brk"
    private const long EpochStream = 0x65706F6368;        // "epoch"

    private readonly BatchPlan[] _batches;

    /// <summary>Plans the batches of <paramref name="entries"/>.</summary>
    /// <param name="entries">The clips; a plan's <see cref="BatchPlan.Indices"/> index this list.</param>
    /// <param name="maxTokens">The most samples a batch may hold (fairseq <c>max_tokens</c>, e.g. 1 400 000).</param>
    /// <param name="maxSampleSize">The longest crop (fairseq <c>max_sample_size</c>, e.g. 250 000 = 15.6 s).</param>
    /// <param name="minSampleSize">Clips shorter than this are dropped (fairseq <c>min_sample_size</c>, e.g. 32 000 = 2 s); 0 keeps all.</param>
    /// <param name="seed">Seeds the tie-break order and, with the epoch, the batch order.</param>
    /// <param name="maxBatchSize">The most clips per batch (fairseq <c>batch_size</c>), or <see langword="null"/> for no limit.</param>
    /// <param name="batchSizeMultiple">Batches of at least this many clips are cut to a multiple of it (fairseq <c>required_batch_size_multiple</c>, whose default is 8); 1 for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range, or a kept clip's size exceeds <paramref name="maxTokens"/> (no batch could hold it).</exception>
    /// <exception cref="ArgumentException">An entry has a non-positive sample count.</exception>
    public PretrainingBatcher(IReadOnlyList<ManifestEntry> entries, int maxTokens, int maxSampleSize, int minSampleSize, int seed,
        int? maxBatchSize = null, int batchSizeMultiple = 1)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSampleSize);
        ArgumentOutOfRangeException.ThrowIfNegative(minSampleSize);
        if (maxBatchSize is { } limit)
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit, nameof(maxBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSizeMultiple);

        var sizes = new int[entries.Count];
        var kept = new List<int>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            int length = entries[i].NumSamples;
            if (length <= 0)
                throw new ArgumentException($"Entry {i} ('{entries[i].Path}') has {length} samples; the count must be positive.", nameof(entries));
            sizes[i] = Math.Min(length, maxSampleSize);
            if (length < minSampleSize)
                continue;
            if (sizes[i] > maxTokens)
                throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens,
                    $"a batch of at most {maxTokens} samples (--max-tokens) cannot hold {entries[i].Path} ({sizes[i]} samples after cropping to the largest sample size, --max-sample-size {maxSampleSize}): raise --max-tokens or lower --max-sample-size.");
            kept.Add(i);
        }

        Seed = seed;
        EntryCount = entries.Count;
        KeptCount = kept.Count;
        DroppedCount = entries.Count - kept.Count;
        _batches = FormBatches(OrderBySize(kept, sizes, seed), sizes, maxTokens, maxBatchSize ?? int.MaxValue, batchSizeMultiple);
        SamplesPerEpoch = _batches.Sum(b => b.TotalSamples);
    }

    /// <summary>The seed the plans are drawn from.</summary>
    public int Seed { get; }

    /// <summary>The number of entries given.</summary>
    public int EntryCount { get; }

    /// <summary>The number of entries kept (at least <c>minSampleSize</c> samples long); each is in exactly one batch per epoch.</summary>
    public int KeptCount { get; }

    /// <summary>The number of entries dropped for being shorter than <c>minSampleSize</c>.</summary>
    public int DroppedCount { get; }

    /// <summary>The number of batches in every epoch.</summary>
    public int BatchesPerEpoch => _batches.Length;

    /// <summary>The number of samples an epoch feeds the model, after cropping.</summary>
    public long SamplesPerEpoch { get; }

    /// <summary>The batches of <paramref name="epoch"/>: every batch once, in an order shuffled by (seed, epoch).</summary>
    /// <param name="epoch">The epoch number (fairseq counts from 1; any value is allowed).</param>
    /// <returns>A new list; the same (seed, epoch) always gives the same list.</returns>
    public IReadOnlyList<BatchPlan> PlanEpoch(int epoch)
    {
        var order = (BatchPlan[])_batches.Clone();
        SplitMix64.FromKeys(Seed, EpochStream, epoch).Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>Kept indices sorted by size, longest first, ties in a seeded random order.</summary>
    private static int[] OrderBySize(List<int> kept, int[] sizes, int seed)
    {
        var shuffled = kept.ToArray();
        SplitMix64.FromKeys(seed, TieBreakStream).Shuffle(shuffled.AsSpan());
        return shuffled.OrderByDescending(i => sizes[i]).ToArray(); // a stable sort: ties keep the shuffled order
    }

    /// <summary>fairseq's <c>batch_by_size_fn</c> over <paramref name="order"/>.</summary>
    private static BatchPlan[] FormBatches(int[] order, int[] sizes, int maxTokens, int maxBatchSize, int multiple)
    {
        var batches = new List<BatchPlan>();
        var batch = new List<int>();
        int largest = 0;
        foreach (int index in order)
        {
            largest = Math.Max(largest, sizes[index]);
            long tokens = (long)(batch.Count + 1) * largest;
            if (batch.Count > 0 && (batch.Count == maxBatchSize || tokens > maxTokens))
            {
                int cut = Math.Max(multiple * (batch.Count / multiple), batch.Count % multiple);
                batches.Add(Plan(batch.GetRange(0, cut), sizes));
                batch.RemoveRange(0, cut);
                largest = sizes[index];
                foreach (int carried in batch)
                    largest = Math.Max(largest, sizes[carried]);
            }
            batch.Add(index);
        }
        if (batch.Count > 0)
            batches.Add(Plan(batch, sizes));
        return batches.ToArray();
    }

    private static BatchPlan Plan(List<int> indices, int[] sizes) => new(indices, indices.Min(i => sizes[i]));
}
