using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Tests.Data;

public sealed class PretrainingBatcherTests
{
    private const int MaxTokens = 1_400_000;
    private const int MaxSampleSize = 250_000;
    private const int MinSampleSize = 32_000;

    private static readonly ManifestEntry[] Corpus = DataTestSupport.RandomEntries(500, 8_000, 400_000, seed: 3);

    private static PretrainingBatcher Batcher(int seed = 1) => new(Corpus, MaxTokens, MaxSampleSize, MinSampleSize, seed);

    private static int Capped(int index) => Math.Min(Corpus[index].NumSamples, MaxSampleSize);

    [Fact]
    public void PlanEpoch_EveryBatchRespectsMaxTokens()
    {
        var plans = Batcher().PlanEpoch(1);

        Assert.All(plans, p =>
        {
            Assert.True(p.TotalSamples <= MaxTokens, $"{p} holds {p.TotalSamples} samples");
            Assert.True((long)p.Count * p.Indices.Max(Capped) <= MaxTokens, $"{p} exceeds maxTokens counted at its longest clip");
        });
    }

    [Fact]
    public void Constructor_DropsAndCountsShortClips()
    {
        var batcher = Batcher();
        int shortClips = Corpus.Count(e => e.NumSamples < MinSampleSize);

        Assert.True(shortClips > 0);
        Assert.Equal(shortClips, batcher.DroppedCount);
        Assert.Equal(Corpus.Length - shortClips, batcher.KeptCount);
    }

    [Fact]
    public void PlanEpoch_EveryKeptEntryAppearsExactlyOnce()
    {
        var batcher = Batcher();
        var kept = Enumerable.Range(0, Corpus.Length).Where(i => Corpus[i].NumSamples >= MinSampleSize);

        foreach (int epoch in new[] { 1, 2, 7 })
        {
            var planned = batcher.PlanEpoch(epoch).SelectMany(p => p.Indices).Order();
            Assert.Equal(kept, planned);
        }
        Assert.Equal(batcher.BatchesPerEpoch, batcher.PlanEpoch(1).Count);
        Assert.Equal(batcher.PlanEpoch(1).Sum(p => p.TotalSamples), batcher.SamplesPerEpoch);
    }

    [Fact]
    public void PlanEpoch_SameSeedAndEpoch_GiveTheSamePlan()
    {
        Assert.Equal(Batcher().PlanEpoch(4), Batcher().PlanEpoch(4));
    }

    [Fact]
    public void PlanEpoch_DifferentEpochs_ShuffleTheSameBatchesDifferently()
    {
        var batcher = Batcher();
        var one = batcher.PlanEpoch(1);
        var two = batcher.PlanEpoch(2);

        Assert.NotEqual(one, two);
        Assert.Equal(one.ToHashSet(), two.ToHashSet());
    }

    [Fact]
    public void Constructor_DifferentSeeds_BreakTiesDifferently()
    {
        // Every clip longer than maxSampleSize ties at maxSampleSize, so the seed decides which go together.
        static HashSet<BatchPlan> Batches(int seed) => Batcher(seed).PlanEpoch(1).ToHashSet();

        Assert.False(Batches(1).SetEquals(Batches(2)));
    }

    [Fact]
    public void PlanEpoch_CropLengthIsTheBatchMinimumCappedAtMaxSampleSize()
    {
        var plans = Batcher().PlanEpoch(1);

        Assert.Contains(plans, p => p.CropLength == MaxSampleSize);
        Assert.Contains(plans, p => p.CropLength < MaxSampleSize);
        Assert.All(plans, p => Assert.Equal(Math.Min(p.Indices.Min(i => Corpus[i].NumSamples), MaxSampleSize), p.CropLength));
    }

    [Fact]
    public void PlanEpoch_BatchesAreRunsOfTheLengthOrder()
    {
        // Sorted by capped length, each batch's clips are no longer than the shortest clip of the batch before it.
        var batches = Batcher().PlanEpoch(1).OrderByDescending(p => p.Indices.Max(Capped)).ThenByDescending(p => p.CropLength).ToArray();

        for (int b = 1; b < batches.Length; b++)
            Assert.True(batches[b].Indices.Max(Capped) <= batches[b - 1].CropLength);
    }

    [Fact]
    public void Constructor_FollowsFairseqBatchBySize()
    {
        // Longest first; a clip starts a new batch when (count + 1) × longest would exceed maxTokens:
        // [100, 90] (3 × 100 > 250), [80, 70, 60] (4 × 80 > 250), [50].
        var entries = DataTestSupport.Entries(60, 100, 50, 80, 90, 70, 20);
        var batcher = new PretrainingBatcher(entries, maxTokens: 250, maxSampleSize: 1000, minSampleSize: 30, seed: 0);

        var batches = batcher.PlanEpoch(1).OrderByDescending(p => p.CropLength).ToArray();

        Assert.Equal(
            [new BatchPlan([1, 4], 90), new BatchPlan([3, 5, 0], 60), new BatchPlan([2], 50)],
            batches);
        Assert.Equal(1, batcher.DroppedCount);
    }

    [Fact]
    public void Constructor_MaxBatchSizeAndMultiple_LimitBatchSizes()
    {
        // fairseq cuts a full batch of 10 to 8 (a multiple of 4) and carries 2 on; the last batch is left as it is.
        var entries = DataTestSupport.Entries(Enumerable.Repeat(1000, 42).ToArray());

        var limited = new PretrainingBatcher(entries, maxTokens: 1_000_000, maxSampleSize: 1000, minSampleSize: 0, seed: 5, maxBatchSize: 10);
        var multiple = new PretrainingBatcher(entries, maxTokens: 10_500, maxSampleSize: 1000, minSampleSize: 0, seed: 5, batchSizeMultiple: 4);

        Assert.Equal([10, 10, 10, 10, 2], limited.PlanEpoch(1).Select(p => p.Count).OrderDescending());
        Assert.Equal([10, 8, 8, 8, 8], multiple.PlanEpoch(1).Select(p => p.Count).OrderDescending());
    }

    [Fact]
    public void Constructor_ClipLongerThanMaxTokens_Throws()
    {
        var entries = DataTestSupport.Entries(5000, 300_000);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PretrainingBatcher(entries, 200_000, 250_000, 0, 1));

        Assert.StartsWith($"a batch of at most 200000 samples (--max-tokens) cannot hold {entries[1].Path} (250000 samples after cropping to the largest sample size, --max-sample-size 250000)", e.Message);
    }

    [Fact]
    public void Constructor_NoEntries_GivesAnEmptyEpoch()
    {
        var batcher = new PretrainingBatcher([], MaxTokens, MaxSampleSize, MinSampleSize, 1);

        Assert.Empty(batcher.PlanEpoch(1));
    }
}
