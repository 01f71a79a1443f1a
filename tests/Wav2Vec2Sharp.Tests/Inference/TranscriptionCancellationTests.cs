using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Inference;

/// <summary>Transcription stops at the next window, batch or file once its token is cancelled.</summary>
public sealed class TranscriptionCancellationTests
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]);

    private static Transcriber Create(ChunkingOptions chunking)
    {
        TorchSharp.torch.manual_seed(3);
        return new Transcriber(new Wav2Vec2ForCtc(TinyConfig.Create("group", false, convBias: false)), Letters,
            new FeatureExtractorConfig(), chunking: chunking);
    }

    [Fact]
    public void A_cancelled_token_stops_a_long_clip_after_the_window_that_cancelled_it()
    {
        using var transcriber = Create(new ChunkingOptions { ChunkSeconds = 1, StrideSeconds = 0.2 });
        var clip = SyntheticSpeech.Clip(16000 * 5, 7);
        using var cancel = new CancellationTokenSource();
        var reported = new List<long>();

        Assert.Throws<OperationCanceledException>(() => transcriber.Transcribe(clip.Length, (start, window) => clip.AsSpan((int)start, window.Length).CopyTo(window),
            new SynchronousProgress<CountProgress>(p => { reported.Add(p.Done); cancel.Cancel(); }), cancel.Token));

        Assert.Single(reported);
        Assert.Throws<OperationCanceledException>(() => transcriber.Transcribe(clip, cancel.Token));
        Assert.Throws<OperationCanceledException>(() => transcriber.TranscribeBatch([clip[..16000], clip[..20000]], 2, cancellationToken: cancel.Token));
        Assert.NotEmpty(transcriber.Transcribe(clip).Logits);   // the same transcriber still works without the token
    }

    [Fact]
    public void Files_stop_at_the_next_file_one_at_a_time_and_before_the_next_group_in_batches()
    {
        using var temp = new TempDir();
        var paths = Enumerable.Range(0, 4).Select(i =>
        {
            return temp.Write($"clip{i}.wav", new WavBuilder { Data = WavBuilder.Pcm16(SyntheticSpeech.Clip(16000, 20 + i)) }.ToBytes());
        }).ToList();
        using var transcriber = Create(ChunkingOptions.Disabled);
        using var cancel = new CancellationTokenSource();
        var done = new List<int>();

        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var file in transcriber.TranscribeFiles(paths, 1, cancellationToken: cancel.Token))
            {
                Assert.NotNull(file.Result);
                done.Add(file.Index);
                cancel.Cancel();
            }
        });

        Assert.Equal([0], done);
        Assert.Throws<OperationCanceledException>(() => transcriber.TranscribeFiles(paths, 2, cancellationToken: cancel.Token).ToList());
        Assert.Equal(4, transcriber.TranscribeFiles(paths, 2).Count(f => f.Result is not null));
    }
}
