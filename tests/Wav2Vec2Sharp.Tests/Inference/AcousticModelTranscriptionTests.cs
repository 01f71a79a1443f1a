using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Inference;

/// <summary>A transcriber reaches its acoustic model only through <see cref="IAcousticModel"/>: a scripted model without a network is transcribed, stitched and batched.</summary>
public sealed class AcousticModelTranscriptionTests
{
    private static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]);
    private static readonly FeatureExtractorConfig Raw = new() { DoNormalize = false };

    private readonly ScriptedAcousticModel _model = new(TinyConfig.Create());

    [Fact]
    public void A_clip_in_one_window_is_decoded_from_the_models_logits_and_the_model_is_disposed_with_the_transcriber()
    {
        var clip = _model.Speak(Letters, "BAD CAB");
        var transcriber = new Transcriber(_model, Letters, Raw);

        var transcription = transcriber.Transcribe(clip);
        transcriber.Dispose();

        Assert.Equal("BAD CAB", transcription.Text);
        Assert.Equal(35, transcription.Frames);
        Assert.Equal(new ScriptedAcousticModel(TinyConfig.Create()).Run(clip).Values, transcription.Logits);
        Assert.Equal([clip.Length], _model.Runs);
        Assert.Same(_model.Config, transcriber.Config);
        Assert.True(_model.Disposed);
    }

    [Fact]
    public void A_long_clip_keeps_each_windows_frames_between_its_contexts()
    {
        const string text = "ACE BED DAB CAB ACE BED DAB CAB ACE BED DAB CAB ACE BED DAB CAB ACE BED DAB CAB";
        var clip = _model.Speak(Letters, text);
        var chunking = new ChunkingOptions { ChunkSeconds = 2, StrideSeconds = 0.4 };
        using var transcriber = new Transcriber(_model, Letters, Raw, chunking: chunking);

        var transcription = transcriber.Transcribe(clip);

        var plan = ChunkPlanner.Plan(clip.Length, _model.Config, chunking, 16000);
        Assert.Equal(text, transcription.Text);
        Assert.Equal(5 * text.Length, transcription.Frames);
        Assert.Equal(6, plan.Count);
        Assert.Equal(plan.Select(chunk => chunk.InputSamples), _model.Runs);
        var windowOfFrame = transcription.Logits.Chunk(Letters.Count).Select(row => (int)row.Max()).ToArray();
        var expected = plan.SelectMany((chunk, k) => Enumerable.Repeat(k + 1, chunk.KeptFrames)).ToArray();
        Assert.Equal(expected, windowOfFrame);
    }

    [Fact]
    public void Clips_transcribed_together_go_through_RunBatch_in_length_order()
    {
        string[] texts = ["DEAD BEE", "ACE", "CAB BED", "BE"];
        var clips = texts.Select(t => _model.Speak(Letters, t)).ToArray();
        using var transcriber = new Transcriber(_model, Letters, Raw);

        var transcriptions = transcriber.TranscribeBatch(clips, batchSize: 3);

        Assert.Equal(texts, transcriptions.Select(t => t.Text));
        Assert.Equal(texts.Select(t => 5 * t.Length), transcriptions.Select(t => t.Frames));
        Assert.Empty(_model.Runs);
        Assert.Equal([[clips[3].Length, clips[1].Length, clips[2].Length], [clips[0].Length]], _model.Batches);
    }

    [Fact]
    public void Load_reads_the_vocabulary_and_preprocessing_of_a_directory_for_any_acoustic_model()
    {
        using var directory = new TempDir();
        Letters.Save(Path.Combine(directory.Root, "vocab.json"));
        ConfigJson.Write(Path.Combine(directory.Root, "preprocessor_config.json"), Raw);

        using var transcriber = Transcriber.Load(directory.Root, _model);

        Assert.Same(_model, transcriber.AcousticModel);
        Assert.False(transcriber.FeatureExtractor.DoNormalize);
        Assert.Equal("ACE", transcriber.Transcribe(_model.Speak(Letters, "ACE")).Text);
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_model_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => new Transcriber(_model, new Vocabulary(["<pad>", "|", "A"]), Raw));

        Assert.Contains("vocab_size is 10", error.Message);
    }

    [Fact]
    public void Audio_from_a_stream_is_decoded_and_transcribed_as_its_file_would_be_and_bad_bytes_are_named()
    {
        var clip = _model.Speak(Letters, "BAD CAB");
        var bytes = new byte[clip.Length * 4];
        for (int i = 0; i < clip.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), clip[i]);
        var wav = new WavBuilder { FormatTag = 3, BitsPerSample = 32, Data = bytes }.ToBytes();
        using var transcriber = new Transcriber(_model, Letters, Raw);

        var transcription = transcriber.TranscribeAudio(new MemoryStream(wav), "upload.wav");
        var e = Assert.Throws<Wav2Vec2Sharp.Audio.AudioDecodeException>(() => transcriber.TranscribeAudio(new MemoryStream("not audio"u8.ToArray()), "upload.wav"));

        Assert.Equal("BAD CAB", transcription.Text);
        Assert.Equal(new ScriptedAcousticModel(TinyConfig.Create()).Run(clip).Values, transcription.Logits); // the samples reached the model unchanged
        Assert.StartsWith("upload.wav: ", e.Message);
    }
}
