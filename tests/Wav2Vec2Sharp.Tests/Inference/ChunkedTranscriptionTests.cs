using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;
using Xunit.Abstractions;

namespace Wav2Vec2Sharp.Tests.Inference;

/// <summary>Chunked inference on a tiny random "layer"-norm model agrees with running the whole clip at once.</summary>
public sealed class ChunkedTranscriptionTests(ITestOutputHelper log) : IDisposable
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]);
    private readonly Wav2Vec2ForCtc _model = CreateModel();

    private static Wav2Vec2ForCtc CreateModel()
    {
        TorchSharp.torch.manual_seed(7);
        return new Wav2Vec2ForCtc(TinyConfig.Create("layer", stable: true, convBias: true));
    }

    public void Dispose() => _model.Dispose();

    private Transcriber Transcriber(ChunkingOptions chunking, bool normalize = false) =>
        new(_model, Letters, new FeatureExtractorConfig { DoNormalize = normalize }, chunking: chunking);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_clip_that_fits_one_chunk_gives_identical_logits_and_text(bool normalize)
    {
        var clip = SyntheticSpeech.Clip(16000 * 3, 11);

        var whole = Transcriber(ChunkingOptions.Disabled, normalize).Transcribe(clip);
        var chunked = Transcriber(new ChunkingOptions { ChunkSeconds = 4, StrideSeconds = 1 }, normalize).Transcribe(clip);

        Assert.Equal(whole.Text, chunked.Text);
        Assert.Equal(whole.Logits, chunked.Logits);
        Assert.Equal(whole.Hypothesis.Tokens, chunked.Hypothesis.Tokens);
    }

    [Fact]
    public void Stitched_logits_have_the_unchunked_frame_count_and_match_it_away_from_seams()
    {
        var clip = SyntheticSpeech.Clip(16000 * 6 + 217, 12);
        var options = new ChunkingOptions { ChunkSeconds = 2, StrideSeconds = 0.5 };

        var whole = Transcriber(ChunkingOptions.Disabled).Transcribe(clip);
        var chunked = Transcriber(options).Transcribe(clip);

        Assert.Equal(_model.Config.OutputLength(clip.Length), chunked.Frames);
        Assert.Equal(whole.Frames, chunked.Frames);
        Assert.Equal(whole.Logits.Length, chunked.Logits.Length);
        int vocab = whole.VocabSize;
        var plan = ChunkPlanner.Plan(clip.Length, _model.Config, options, 16000);
        Assert.True(plan.Count >= 4);
        // Frames whose kept window is ten frames or more from both window edges see enough context on each side.
        double scale = whole.Logits.Max(Math.Abs), worst = 0;
        int compared = 0;
        foreach (var chunk in plan)
        {
            int windowFrames = (int)_model.Config.OutputLength(chunk.InputSamples);
            for (int f = Math.Max(chunk.KeepFrom, 10); f < Math.Min(chunk.KeepTo, windowFrames - 10); f++)
            {
                long t = chunk.FirstFrame + f;
                for (int v = 0; v < vocab; v++)
                    worst = Math.Max(worst, Math.Abs(whole.Logits[t * vocab + v] - chunked.Logits[t * vocab + v]));
                compared++;
            }
        }
        log.WriteLine($"compared {compared} frames, worst |Δlogit| {worst:G4}, logit scale {scale:G4}");
        Assert.True(compared > 100);
        Assert.True(worst < 0.01 * scale, $"worst |Δlogit| {worst} against logit scale {scale}");
    }

    [Fact]
    public void Reading_window_by_window_equals_transcribing_the_array()
    {
        var clip = SyntheticSpeech.Clip(16000 * 5, 13);
        var transcriber = Transcriber(new ChunkingOptions { ChunkSeconds = 2, StrideSeconds = 0.4 }, normalize: true);
        var progress = new List<long>();

        var fromArray = transcriber.Transcribe(clip);
        var fromReader = transcriber.Transcribe(clip.Length, (offset, destination) => clip.AsSpan((int)offset, destination.Length).CopyTo(destination),
            new SynchronousProgress<CountProgress>(p => progress.Add(p.Done)));

        Assert.Equal(fromArray.Logits, fromReader.Logits);
        Assert.Equal(fromArray.Text, fromReader.Text);
        Assert.Equal(clip.Length, progress[^1]);
    }

    [Fact]
    public void A_plugged_in_decoder_decodes_the_stitched_logits_once()
    {
        var decoder = new CountingDecoder(Letters);
        var transcriber = new Transcriber(_model, Letters, new FeatureExtractorConfig(), decoder, new ChunkingOptions { ChunkSeconds = 2, StrideSeconds = 0.5 });

        var result = transcriber.Transcribe(SyntheticSpeech.Clip(16000 * 5, 14));

        Assert.Equal(1, decoder.Calls);
        Assert.Equal(result.Frames, decoder.LastFrames);
        Assert.Equal("counted", result.Text);
    }

    private sealed class CountingDecoder(Vocabulary vocabulary) : ICtcDecoder
    {
        public int Calls { get; private set; }

        public int LastFrames { get; private set; }

        public Vocabulary Vocabulary { get; } = vocabulary;

        public IReadOnlyList<CtcHypothesis> Decode(ReadOnlySpan<float> logits, int frames, int count = 1)
        {
            Calls++;
            LastFrames = frames;
            return [new CtcHypothesis("counted", [], 0)];
        }
    }
}
