using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Wav2Vec2Sharp.Data;

/// <summary>
/// Loads the batches of an epoch on a background thread, a few ahead of the consumer, and hands them out in order.
/// </summary>
/// <remarks>
/// <para>One worker thread calls the load function for plan <c>startIndex</c>, <c>startIndex + 1</c>, … and queues the
/// results in a bounded queue; it waits while <c>capacity</c> batches are queued, so at most <c>capacity + 1</c>
/// loaded batches exist at once. <see cref="Next"/> returns them in plan order.</para>
/// <para>When a load throws, the batches loaded before it are still returned, then <see cref="Next"/> rethrows the
/// exception (e.g. an <see cref="Audio.AudioDecodeException"/>) with its original stack trace, and keeps rethrowing it;
/// the worker stops there.</para>
/// <para>To resume exactly after a checkpoint, save <see cref="NextIndex"/> and start the same epoch's plan list there.</para>
/// <para><see cref="Dispose"/> stops the worker and waits for it, which includes waiting for a load already under way.</para>
/// <para>Waiting is fully synchronous (no thread-pool continuations), so it cannot stall when the pool is busy.
/// One consumer thread is expected: <see cref="Next"/> and <see cref="Dispose"/> must not run at the same time.</para>
/// </remarks>
public sealed class BatchPrefetcher : IDisposable
{
    private readonly BatchPlan[] _plans;
    private readonly Func<int, BatchPlan, PretrainingBatch> _load;
    private readonly BlockingCollection<PretrainingBatch> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _worker;
    private readonly int _startIndex;
    private ExceptionDispatchInfo? _error;
    private int _nextIndex;
    private bool _disposed;

    /// <summary>Starts loading <paramref name="plans"/> from <paramref name="startIndex"/> on a background thread.</summary>
    /// <param name="plans">The epoch's plans (from <see cref="PretrainingBatcher.PlanEpoch"/>).</param>
    /// <param name="startIndex">The first plan to load: 0 for a fresh epoch, the saved <see cref="NextIndex"/> on resume; <c>plans.Count</c> loads nothing.</param>
    /// <param name="load">
    /// Loads plan <c>i</c>, e.g. <c>(i, plan) =&gt; loader.Load(plan, seed, firstStepOfEpoch + i)</c>. Called on the worker
    /// thread, one plan at a time, in order.
    /// </param>
    /// <param name="capacity">How many loaded batches may wait in the queue.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startIndex"/> is outside [0, plans.Count], or <paramref name="capacity"/> is not positive.</exception>
    public BatchPrefetcher(IReadOnlyList<BatchPlan> plans, int startIndex, Func<int, BatchPlan, PretrainingBatch> load, int capacity = 2)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startIndex, plans.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _plans = plans.ToArray();
        _load = load;
        _startIndex = startIndex;
        _nextIndex = startIndex;
        _queue = new BlockingCollection<PretrainingBatch>(new ConcurrentQueue<PretrainingBatch>(), capacity);
        _worker = new Thread(Run) { IsBackground = true, Name = "Wav2Vec2Sharp batch prefetch" };
        _worker.Start();
    }

    /// <summary>The number of plans in the epoch.</summary>
    public int Count => _plans.Length;

    /// <summary>The index of the plan the next call to <see cref="Next"/> returns; after the last batch, <see cref="Count"/>.</summary>
    public int NextIndex => _nextIndex;

    /// <summary>Waits for the next batch.</summary>
    /// <returns>The batch of plan <see cref="NextIndex"/> (which then advances), or <see langword="null"/> when the epoch is done.</returns>
    /// <exception cref="ObjectDisposedException">The prefetcher was disposed.</exception>
    /// <remarks>Rethrows the exception of a failed load when its turn comes.</remarks>
    public PretrainingBatch? Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_queue.TryTake(out var batch, Timeout.Infinite))
        {
            _nextIndex++;
            return batch;
        }
        _error?.Throw();
        return null;
    }

    /// <summary>Stops the worker and waits for it to finish the load under way, if any.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stop.Cancel();
        _worker.Join();
        _stop.Dispose();
        _queue.Dispose();
    }

    private void Run()
    {
        var token = _stop.Token;
        try
        {
            for (int i = _startIndex; i < _plans.Length && !token.IsCancellationRequested; i++)
                _queue.Add(_load(i, _plans[i]), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed: stop quietly.
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }
}
