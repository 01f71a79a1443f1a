using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// Training batches from an audio manifest: fairseq's length-bucketed batches (order reshuffled each epoch from the
/// seed) with random crops. Opening at (epoch, position) replays the batches an uninterrupted run would have seen.
/// </summary>
/// <remarks>
/// Batches are decoded on the training thread on purpose. TorchSharp 0.107 releases the <c>Scalar</c>s it creates
/// implicitly (e.g. the <c>alpha</c> of every <c>a + b</c>) from the GC finalizer; a garbage collection triggered by
/// another thread's allocations while a native call is still using such a Scalar frees it under the call, which shows
/// up as "argument alpha must not be a floating point number" or, worse, as a silently wrong result. With all managed
/// allocation on one thread, collections only happen between native calls.
/// </remarks>
public sealed class ManifestBatchStream : IBatchStream
{
    private readonly PretrainingBatcher _batcher;
    private readonly PretrainingBatchLoader _loader;
    private IReadOnlyList<BatchPlan> _plans;

    /// <summary>Opens the stream at batch <paramref name="position"/> of <paramref name="epoch"/>.</summary>
    public ManifestBatchStream(PretrainingBatcher batcher, PretrainingBatchLoader loader, int epoch, int position)
    {
        if (batcher.BatchesPerEpoch == 0)
            throw new Wav2Vec2SharpException("no training clips are long enough: every clip is shorter than the minimum sample size.");
        _batcher = batcher;
        _loader = loader;
        Epoch = epoch;
        Position = position;
        _plans = batcher.PlanEpoch(epoch);
    }

    /// <inheritdoc/>
    public int Epoch { get; private set; }

    /// <inheritdoc/>
    public int Position { get; private set; }

    /// <inheritdoc/>
    public AudioBatch Next()
    {
        StartEpochIfDone();
        long step = (long)Epoch * _batcher.BatchesPerEpoch + Position;
        var batch = _loader.Load(_plans[Position], _batcher.Seed, step, Epoch);
        Position++;
        return new AudioBatch(batch.Samples, batch.BatchSize, batch.Length);
    }

    /// <inheritdoc/>
    public void Skip()
    {
        StartEpochIfDone();
        Position++;
    }

    /// <inheritdoc/>
    public void Dispose() { }

    private void StartEpochIfDone()
    {
        if (Position < _plans.Count)
            return;
        Epoch++;
        Position = 0;
        _plans = _batcher.PlanEpoch(Epoch);
    }
}
