using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Data;

public sealed class BatchPrefetcherTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static BatchPlan[] Plans(int count) => Enumerable.Range(0, count).Select(i => new BatchPlan([i], 1)).ToArray();

    /// <summary>A fake load: one sample holding the plan's position in the list.</summary>
    private static PretrainingBatch Fake(int i, BatchPlan plan) => new([i], 1, plan.Indices, [0]);

    [Fact]
    public void Next_YieldsThePlansInOrderFromTheStartIndex()
    {
        var plans = Plans(10);
        using var prefetcher = new BatchPrefetcher(plans, startIndex: 4, Fake, capacity: 2);

        var seen = new List<int>();
        Assert.Equal(4, prefetcher.NextIndex);
        while (prefetcher.Next() is { } batch)
        {
            seen.Add((int)batch.Samples[0]);
            Assert.Equal(plans[seen[^1]].Indices, batch.Indices);
            Assert.Equal(seen[^1] + 1, prefetcher.NextIndex);
        }

        Assert.Equal([4, 5, 6, 7, 8, 9], seen);
        Assert.Equal(10, prefetcher.NextIndex);
        Assert.Null(prefetcher.Next());
    }

    [Fact]
    public void Next_StartAtTheEnd_YieldsNothing()
    {
        using var prefetcher = new BatchPrefetcher(Plans(3), 3, Fake);

        Assert.Null(prefetcher.Next());
    }

    [Fact]
    public void Next_SurfacesADecodeErrorAfterTheBatchesBeforeIt()
    {
        var entries = Enumerable.Range(0, 4)
            .Select(i => new ManifestEntry(_dir.Write($"c{i}.wav", DataTestSupport.RampWav(400, first: 1000 * i)), 400))
            .ToArray();
        File.WriteAllBytes(entries[2].Path, "corrupt"u8.ToArray());
        var loader = new PretrainingBatchLoader(entries);
        var plans = Enumerable.Range(0, 4).Select(i => new BatchPlan([i], 300)).ToArray();
        using var prefetcher = new BatchPrefetcher(plans, 0, (i, plan) => loader.Load(plan, seed: 1, step: i));

        Assert.Equal([0], prefetcher.Next()!.Indices);
        Assert.Equal([1], prefetcher.Next()!.Indices);
        var e = Assert.Throws<AudioDecodeException>(() => prefetcher.Next());
        Assert.Equal(entries[2].Path, e.FilePath);
        Assert.Same(e, Assert.Throws<AudioDecodeException>(() => prefetcher.Next()));
        Assert.Equal(2, prefetcher.NextIndex);
    }

    [Fact]
    public void Dispose_StopsAWorkerThatIsWaitingForRoom()
    {
        int loads = 0;
        var prefetcher = new BatchPrefetcher(Plans(1000), 0, (i, plan) =>
        {
            Interlocked.Increment(ref loads);
            return Fake(i, plan);
        }, capacity: 2);
        Assert.NotNull(prefetcher.Next());
        SpinWait.SpinUntil(() => Volatile.Read(ref loads) >= 4, TimeSpan.FromSeconds(5));

        prefetcher.Dispose();
        int after = Volatile.Read(ref loads);

        Assert.InRange(after, 1, 4); // capacity 2 queued + 1 waiting for room, after the one consumed
        Thread.Sleep(20);
        Assert.Equal(after, Volatile.Read(ref loads));
        Assert.Throws<ObjectDisposedException>(() => prefetcher.Next());
        prefetcher.Dispose();
    }
}
