using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Inference;

namespace Wav2Vec2Sharp.Tests.Inference;

public sealed class ChunkPlannerTests
{
    private static readonly Wav2Vec2Config Standard = new();

    [Theory]
    [InlineData(16000 * 100, 10.0, 2.0)]
    [InlineData(16000 * 100 + 123, 10.0, 2.0)]
    [InlineData(16000 * 31, 30.0, null)]
    [InlineData(16000 * 61 + 79, 10.0, 0.0)]
    [InlineData(16000 * 25 + 401, 3.3, 0.7)]
    public void Kept_frames_tile_the_unchunked_frames_exactly(long samples, double chunk, double? stride)
    {
        var options = new ChunkingOptions { ChunkSeconds = chunk, StrideSeconds = stride };

        var plan = ChunkPlanner.Plan(samples, Standard, options, 16000);

        Assert.True(plan.Count > 1);
        long next = 0;
        foreach (var c in plan)
        {
            Assert.Equal(0, c.StartSample % 320);
            Assert.Equal(c.StartSample / 320, c.FirstFrame);
            Assert.Equal(next, c.FirstFrame + c.KeepFrom);
            Assert.True(c.KeptFrames > 0);
            Assert.True(c.KeepTo <= Standard.OutputLength(c.InputSamples), "the window computes every frame it keeps");
            Assert.True(c.StartSample + c.InputSamples <= samples);
            next = c.FirstFrame + c.KeepTo;
        }
        Assert.Equal(Standard.OutputLength(samples), next);
    }

    [Fact]
    public void Windows_follow_the_hf_pipeline_geometry()
    {
        // 10 s windows with 2 s context each side advance by 6 s; the first has no left and the last no right context.
        var plan = ChunkPlanner.Plan(16000 * 20, Standard, new ChunkingOptions { ChunkSeconds = 10, StrideSeconds = 2 }, 16000);

        Assert.Equal([0L, 96000, 192000], plan.Select(c => c.StartSample));
        Assert.Equal([0, 100, 100], plan.Select(c => c.KeepFrom));
        Assert.Equal([400, 400, 399], plan.Select(c => c.KeepTo));
        Assert.Equal(160000 + 80, plan[0].InputSamples);
        Assert.Equal(320000 - 192000, plan[2].InputSamples);
    }

    [Fact]
    public void A_clip_no_longer_than_the_chunk_is_one_window()
    {
        var plan = ChunkPlanner.Plan(16000 * 30, Standard, ChunkingOptions.Default, 16000);

        Assert.Equal([new AudioChunk(0, 480000, 0, 0, 1499)], plan);
    }

    [Fact]
    public void A_stride_as_long_as_half_the_chunk_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ChunkPlanner.Plan(16000 * 60, Standard, new ChunkingOptions { ChunkSeconds = 10, StrideSeconds = 5 }, 16000));
        Assert.Contains("longer than twice the stride", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, null, "ChunkSeconds must be a finite number of seconds (0 or less never chunks), not NaN.")]
    [InlineData(double.PositiveInfinity, null, "ChunkSeconds must be a finite number of seconds (0 or less never chunks), not Infinity.")]
    [InlineData(10.0, -0.5, "StrideSeconds must be null (ChunkSeconds / 6) or a finite number of seconds of 0 or more, not -0.5.")]
    [InlineData(10.0, double.NaN, "StrideSeconds must be null (ChunkSeconds / 6) or a finite number of seconds of 0 or more, not NaN.")]
    public void Lengths_that_are_not_lengths_are_refused_by_the_options_the_planner_and_the_transcriber(double chunk, double? stride, string message)
    {
        var options = new ChunkingOptions { ChunkSeconds = chunk, StrideSeconds = stride };

        Assert.Equal(message, Assert.Throws<ArgumentException>(options.Validate).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => ChunkPlanner.Plan(16000 * 100, Standard, options, 16000)).Message);
        using var transcriber = new Transcriber(new ScriptedAcousticModel(Standard with { VocabSize = 2 }), new Wav2Vec2Sharp.Decoding.Vocabulary(["<pad>", "a"]), new FeatureExtractorConfig());
        Assert.Throws<ArgumentException>(() => transcriber.Chunking = options);
    }

    [Fact]
    public void A_disposed_transcriber_says_so()
    {
        var model = new ScriptedAcousticModel(Standard with { VocabSize = 2 });
        var transcriber = new Transcriber(model, new Wav2Vec2Sharp.Decoding.Vocabulary(["<pad>", "a"]), new FeatureExtractorConfig());
        transcriber.Dispose();

        Assert.True(model.Disposed);
        Assert.Throws<ObjectDisposedException>(() => transcriber.Transcribe(new float[16000]));
        Assert.Throws<ObjectDisposedException>(() => transcriber.TranscribeBatch([new float[16000]]));
        Assert.Throws<ObjectDisposedException>(() => transcriber.TranscribeFile("any.wav"));
    }
}
