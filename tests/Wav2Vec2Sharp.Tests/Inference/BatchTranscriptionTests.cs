using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Inference;

/// <summary>Clips transcribed together in padded batches give each clip's own logits and transcript.</summary>
public sealed class BatchTranscriptionTests
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]);

    // Measured 7.5e-8 and 3.0e-8 (the first clip that differs, group and layer norm) between a clip alone and inside a
    // padded batch: other matrix shapes, other rounding. The bound leaves room for other BLAS kernels.
    private const float Tolerance = 1e-5f;

    private static Transcriber Create(string norm, bool stable, bool normalize, ChunkingOptions? chunking = null)
    {
        TorchSharp.torch.manual_seed(3);
        var model = new Wav2Vec2ForCtc(TinyConfig.Create(norm, stable, convBias: stable));
        return new Transcriber(model, Letters, new FeatureExtractorConfig { DoNormalize = normalize }, chunking: chunking ?? ChunkingOptions.Disabled);
    }

    private static readonly float[][] Clips = [.. new[] { 16000, 27200, 8000, 36800, 20000 }.Select((n, i) => SyntheticSpeech.Clip(n, 40 + i))];

    [Theory]
    [InlineData("group", false, false)] // base: the CNN's group norm runs over each clip's own frames
    [InlineData("layer", true, true)]   // large / XLS-R, normalised input
    public void Every_clip_of_a_batch_gets_its_own_logits_and_transcript(string norm, bool stable, bool normalize)
    {
        using var transcriber = Create(norm, stable, normalize);
        var alone = Clips.Select(c => transcriber.Transcribe(c)).ToList();
        var progress = new List<long>();

        var together = transcriber.TranscribeBatch(Clips, batchSize: 3, new SynchronousProgress<CountProgress>(p => progress.Add(p.Done)));

        Assert.Equal(Clips.Length, together.Count);
        for (int i = 0; i < Clips.Length; i++)
        {
            Assert.Equal(alone[i].Frames, together[i].Frames);
            Assert.Equal(alone[i].Text, together[i].Text);
            Assert.Equal(alone[i].Hypothesis.Tokens, together[i].Hypothesis.Tokens);
            float worst = alone[i].Logits.Zip(together[i].Logits, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= Tolerance, $"clip {i}: max |Δ logit| {worst:E2}");
        }
        Assert.Equal([3L, 5L], progress);
    }

    [Fact]
    public void Clips_longer_than_a_window_are_transcribed_alone_and_keep_their_place()
    {
        using var transcriber = Create("group", false, false, new ChunkingOptions { ChunkSeconds = 2, StrideSeconds = 0.4 });
        var alone = Clips.Select(c => transcriber.Transcribe(c)).ToList();

        var together = transcriber.TranscribeBatch(Clips, batchSize: 4);

        for (int i = 0; i < Clips.Length; i++)
        {
            Assert.Equal(alone[i].Text, together[i].Text);
            Assert.True(alone[i].Logits.Zip(together[i].Logits, (a, b) => Math.Abs(a - b)).Max() <= Tolerance);
        }
    }

    [Fact]
    public void A_clip_too_short_for_one_frame_is_refused_before_any_work()
    {
        using var transcriber = Create("group", false, false);

        var error = Assert.Throws<UntranscribableAudioException>(() => transcriber.TranscribeBatch([Clips[0], new float[300]]));

        Assert.Contains("the clip has 300 samples", error.Message);
    }

    [Fact]
    public void A_clip_with_nan_samples_is_refused_as_one_clip_at_a_time_refuses_it()
    {
        using var transcriber = Create("group", false, false);
        var broken = (float[])Clips[1].Clone();
        broken[100] = float.NaN;

        var alone = Assert.Throws<UntranscribableAudioException>(() => transcriber.Transcribe(broken));
        var together = Assert.Throws<UntranscribableAudioException>(() => transcriber.TranscribeBatch([Clips[0], broken]));

        Assert.Equal("the clip contains NaN or infinite samples", alone.Message);
        Assert.Equal(alone.Message, together.Message);
    }
}
