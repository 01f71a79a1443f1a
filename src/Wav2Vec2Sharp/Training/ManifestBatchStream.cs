using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// Training batches from an audio manifest: fairseq's length-bucketed batches (order reshuffled each epoch from the
/// seed), random crops, loaded on a background thread while the model trains. Opening at (epoch, position) replays
/// the same batches an uninterrupted run would have seen.
/// </summary>
public sealed class ManifestBatchStream : IBatchStream
{
    private readonly PretrainingBatcher _batcher;
    private readonly PretrainingBatchLoader _loader;
    private readonly int _seed;
    private BatchPrefetcher _prefetcher;

    /// <summary>Opens the stream at batch <paramref name="position"/> of <paramref name="epoch"/>.</summary>
    public ManifestBatchStream(PretrainingBatcher batcher, PretrainingBatchLoader loader, int epoch, int position)
    {
        if (batcher.BatchesPerEpoch == 0)
            throw new Wav2Vec2SharpException("no training clips are long enough: every clip is shorter than the minimum sample size.");
        _batcher = batcher;
        _loader = loader;
        _seed = batcher.Seed;
        Epoch = epoch;
        _prefetcher = Open(epoch, position);
    }

    /// <inheritdoc/>
    public int Epoch { get; private set; }

    /// <inheritdoc/>
    public int Position => _prefetcher.NextIndex;

    /// <inheritdoc/>
    public AudioBatch Next()
    {
        var batch = _prefetcher.Next();
        if (batch is null)
        {
            _prefetcher.Dispose();
            Epoch++;
            _prefetcher = Open(Epoch, 0);
            batch = _prefetcher.Next() ?? throw new InvalidOperationException("an epoch without batches");
        }
        return new AudioBatch(batch.Samples, batch.BatchSize, batch.Length);
    }

    /// <inheritdoc/>
    public void Dispose() => _prefetcher.Dispose();

    private BatchPrefetcher Open(int epoch, int position)
    {
        long epochStart = (long)epoch * _batcher.BatchesPerEpoch;
        return new BatchPrefetcher(_batcher.PlanEpoch(epoch), position, (i, plan) => _loader.Load(plan, _seed, epochStart + i));
    }
}
