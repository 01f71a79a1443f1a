using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Data;

public sealed class PretrainingBatchLoaderTests : IDisposable
{
    private const int Seed = 17;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Ramps of 3000, 2000 and 1200 samples starting at 0, 10000 and 20000; the last one at 8 kHz (2400 samples at 16 kHz).</summary>
    private ManifestEntry[] WriteClips() =>
    [
        new(_dir.WriteFile("a.wav", DataTestSupport.RampWav(3000, first: 0)), 3000),
        new(_dir.WriteFile("b.wav", DataTestSupport.RampWav(2000, first: 10000)), 2000),
        new(_dir.WriteFile("c.wav", DataTestSupport.RampWav(1200, first: 20000, sampleRate: 8000)), 2400),
    ];

    [Fact]
    public void Load_CropsAContiguousSliceOfEachClip()
    {
        var loader = new PretrainingBatchLoader(WriteClips()[..2]);
        var plan = new BatchPlan([1, 0], 2000);

        var batch = loader.Load(plan, Seed, step: 5);

        Assert.Equal([2L, 2000L], batch.Shape);
        Assert.Equal([1, 0], batch.Indices);
        Assert.Equal(4000, batch.Samples.Length);
        Assert.Equal(0, batch.Offsets[0]); // b.wav is exactly as long as the crop
        Assert.InRange(batch.Offsets[1], 0, 1000);
        for (int j = 0; j < 2000; j++)
        {
            Assert.Equal(DataTestSupport.RampSample(j, first: 10000), batch.Row(0)[j]);
            Assert.Equal(DataTestSupport.RampSample(batch.Offsets[1] + j), batch.Row(1)[j]);
        }
    }

    [Fact]
    public void Load_SameSeedAndStep_GivesIdenticalSamples_OtherStepsOtherCrops()
    {
        var loader = new PretrainingBatchLoader(WriteClips());
        var plan = new BatchPlan([0, 2], 1000);

        var first = loader.Load(plan, Seed, step: 9);
        var again = loader.Load(plan, Seed, step: 9);
        var offsets = Enumerable.Range(0, 20).Select(step => loader.Load(plan, Seed, step).Offsets[0]).ToHashSet();

        Assert.Equal(first.Samples, again.Samples);
        Assert.Equal(first.Offsets, again.Offsets);
        Assert.True(offsets.Count > 10, $"only {offsets.Count} distinct offsets over 20 steps");
    }

    [Fact]
    public void Load_ResampledClip_IsCroppedAt16kHz()
    {
        var entries = WriteClips();
        var loader = new PretrainingBatchLoader(entries);

        var batch = loader.Load(new BatchPlan([2], 2000), Seed, step: 1);

        var full = AudioFile.Load(entries[2].Path);
        Assert.Equal(2400, full.Length);
        Assert.Equal(full.AsSpan(batch.Offsets[0], 2000).ToArray(), batch.Row(0).ToArray());
    }

    [Fact]
    public void Load_Normalize_NormalisesTheWholeClipThenCrops()
    {
        var entries = WriteClips();
        var plain = new PretrainingBatchLoader(entries).Load(new BatchPlan([0], 1000), Seed, step: 3);

        var normalised = new PretrainingBatchLoader(entries, normalize: true).Load(new BatchPlan([0], 1000), Seed, step: 3);

        var expected = WaveformNormalizer.ZeroMeanUnitVariance(AudioFile.Load(entries[0].Path)).AsSpan(plain.Offsets[0], 1000);
        Assert.Equal(plain.Offsets, normalised.Offsets);
        Assert.Equal(expected.ToArray(), normalised.Row(0).ToArray());
    }

    [Fact]
    public void Load_CorruptClip_ThrowsAudioDecodeException()
    {
        var entries = WriteClips();
        File.WriteAllBytes(entries[1].Path, "garbage!"u8.ToArray());

        var e = Assert.Throws<AudioDecodeException>(() => new PretrainingBatchLoader(entries).Load(new BatchPlan([0, 1], 1000), Seed, 0));

        Assert.Equal(entries[1].Path, e.FilePath);
    }

    [Fact]
    public void Load_ClipShorterThanTheCrop_ThrowsAudioDecodeException()
    {
        var entries = WriteClips();
        File.WriteAllBytes(entries[0].Path, DataTestSupport.RampWav(500));

        var e = Assert.Throws<AudioDecodeException>(() => new PretrainingBatchLoader(entries).Load(new BatchPlan([0], 1000), Seed, 0));

        Assert.Equal(entries[0].Path, e.FilePath);
        Assert.StartsWith("decodes to 500 samples at 16 kHz, fewer than the crop of 1000", e.Problem);
    }

    [Fact]
    public void CropOffset_IsUniformOverThePositions()
    {
        var counts = new int[10];
        for (int step = 0; step < 10_000; step++)
            counts[PretrainingBatchLoader.CropOffset(Seed, step, index: 4, positions: 10)]++;

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        Assert.Equal(0, PretrainingBatchLoader.CropOffset(Seed, 1, 4, positions: 1));
        // Pinned (values from an independent Python transcription): crops must not change across versions.
        Assert.Equal(198, PretrainingBatchLoader.CropOffset(17, step: 5, index: 0, positions: 1001));
        Assert.Equal(15107, PretrainingBatchLoader.CropOffset(17, step: -1, index: 7, positions: 250_000));
    }
}
