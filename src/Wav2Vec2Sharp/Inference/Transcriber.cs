using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;

namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Speech to text with a fine-tuned CTC model: audio → windows (<see cref="Chunking"/>) → per-window normalisation as
/// the preprocessor config says → the <see cref="AcousticModel"/> (a <see cref="Wav2Vec2ForCtc"/> in inference mode by
/// default) → stitched frame logits → one pass of the <see cref="Decoder"/> (greedy by default).
/// </summary>
/// <remarks>
/// Normalisation (<see cref="FeatureExtractorConfig.DoNormalize"/>) follows HF's pipeline: each window, context
/// included, is normalised on its own by the feature extractor, so a chunked clip is normalised per window rather than
/// over the whole clip. A clip that fits one window is normalised as a whole, exactly as without chunking.
/// <para>Several threads may transcribe with one transcriber at once: a call keeps no state in it, the TorchSharp model
/// runs in inference mode and ONNX Runtime sessions take concurrent runs. Setting <see cref="Decoder"/> or
/// <see cref="Chunking"/> while calls are in flight is not safe.</para>
/// </remarks>
public sealed partial class Transcriber : IDisposable
{
    /// <summary>Wraps an acoustic model.</summary>
    /// <param name="acousticModel">Turns prepared samples into frame logits; disposed with the transcriber.</param>
    /// <param name="vocabulary">Its output symbols.</param>
    /// <param name="featureExtractor">Input preprocessing.</param>
    /// <param name="decoder">Turns logits into text; <see cref="GreedyCtcDecoder"/> when <c>null</c>.</param>
    /// <param name="chunking">How long clips are cut; <see cref="ChunkingOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ConfigException">The vocabulary's size is not the model's vocab_size.</exception>
    public Transcriber(IAcousticModel acousticModel, Vocabulary vocabulary, FeatureExtractorConfig featureExtractor,
        ICtcDecoder? decoder = null, ChunkingOptions? chunking = null)
    {
        if (vocabulary.Count != acousticModel.Config.VocabSize)
            throw new ConfigException($"the vocabulary has {vocabulary.Count} tokens but the model's vocab_size is {acousticModel.Config.VocabSize}.");
        AcousticModel = acousticModel;
        Vocabulary = vocabulary;
        FeatureExtractor = featureExtractor;
        Decoder = decoder ?? new GreedyCtcDecoder(vocabulary);
        Chunking = chunking ?? ChunkingOptions.Default;
    }

    /// <summary>Wraps a loaded TorchSharp model in a <see cref="TorchAcousticModel"/>.</summary>
    /// <param name="model">The CTC model (switched to eval mode); disposed with the transcriber.</param>
    /// <param name="vocabulary">Its output symbols.</param>
    /// <param name="featureExtractor">Input preprocessing.</param>
    /// <param name="decoder">Turns logits into text; <see cref="GreedyCtcDecoder"/> when <c>null</c>.</param>
    /// <param name="chunking">How long clips are cut; <see cref="ChunkingOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ConfigException">The vocabulary's size is not the model's vocab_size.</exception>
    public Transcriber(Wav2Vec2ForCtc model, Vocabulary vocabulary, FeatureExtractorConfig featureExtractor,
        ICtcDecoder? decoder = null, ChunkingOptions? chunking = null)
        : this(new TorchAcousticModel(model), vocabulary, featureExtractor, decoder, chunking)
    {
    }

    /// <summary>The network that turns prepared samples into frame logits.</summary>
    public IAcousticModel AcousticModel { get; }

    /// <summary>The acoustic model's architecture (frame hop, receptive field, vocabulary size).</summary>
    public Wav2Vec2Config Config => AcousticModel.Config;

    /// <summary>The model's output symbols.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The input preprocessing settings.</summary>
    public FeatureExtractorConfig FeatureExtractor { get; }

    /// <summary>The decoder applied to the stitched logits of a clip.</summary>
    public ICtcDecoder Decoder { get; set; }

    /// <summary>How long clips are cut into windows.</summary>
    /// <exception cref="ArgumentException">Set to options that <see cref="ChunkingOptions.Validate"/> refuses.</exception>
    public ChunkingOptions Chunking
    {
        get => _chunking;
        set => _chunking = (value ?? throw new ArgumentNullException(nameof(value))).Validate();
    }

    private ChunkingOptions _chunking = ChunkingOptions.Default;

    /// <summary>Duration of one output frame in seconds (hop / sampling rate: 320 / 16000 = 0.02).</summary>
    public double SecondsPerFrame => Config.InputsToLogitsRatio / (double)FeatureExtractor.SamplingRate;

    /// <summary>Loads <c>config.json</c>, weights, <c>vocab.json</c> and <c>preprocessor_config.json</c> from an HF directory.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="decoderFactory">Builds the decoder from the vocabulary; greedy decoding when <c>null</c>.</param>
    /// <exception cref="Wav2Vec2SharpException">A file is missing or invalid, or the weights do not fit the configuration.</exception>
    public static Transcriber Load(string directory, Func<Vocabulary, ICtcDecoder>? decoderFactory = null)
    {
        RefusePretrainingCheckpoint(directory);
        TorchRuntime.EnsureLoaded();
        var acousticModel = new TorchAcousticModel(Wav2Vec2Pretrained.LoadForCtc(directory));
        try
        {
            return Create(directory, acousticModel, decoderFactory);
        }
        catch
        {
            acousticModel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Wraps an acoustic model loaded elsewhere with the <c>vocab.json</c> and <c>preprocessor_config.json</c> of an HF
    /// directory.
    /// </summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="acousticModel">The network; disposed with the transcriber.</param>
    /// <param name="decoderFactory">Builds the decoder from the vocabulary; greedy decoding when <c>null</c>.</param>
    /// <exception cref="Wav2Vec2SharpException">A file is missing or invalid, or the vocabulary does not fit the model.</exception>
    public static Transcriber Load(string directory, IAcousticModel acousticModel, Func<Vocabulary, ICtcDecoder>? decoderFactory = null)
    {
        RefusePretrainingCheckpoint(directory);
        return Create(directory, acousticModel, decoderFactory);
    }

    private static Transcriber Create(string directory, IAcousticModel acousticModel, Func<Vocabulary, ICtcDecoder>? decoderFactory)
    {
        var vocabulary = Vocabulary.Load(Path.Combine(directory, "vocab.json"));
        return new Transcriber(acousticModel, vocabulary, ModelDirectory.ReadFeatureExtractor(directory, acousticModel.Config),
            decoderFactory?.Invoke(vocabulary));
    }

    // A pretraining checkpoint has no CTC head and no vocabulary: say what it is rather than list its missing tensors.
    private static void RefusePretrainingCheckpoint(string directory)
    {
        var configPath = Path.Combine(directory, "config.json");
        if (File.Exists(Path.Combine(directory, "vocab.json")) || !File.Exists(configPath))
            return;
        string? architecture;
        try
        {
            architecture = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))?["architectures"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } names
                ? names[0]?.GetValue<string>() : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or IOException)
        {
            return; // the regular loading path reports a malformed config
        }
        if (architecture is "Wav2Vec2ForPreTraining" or "Wav2Vec2Model")
            throw new CheckpointException($"{directory} is a pretrained model ({architecture}) without a CTC head or vocabulary: " +
                                          $"fine-tune it on transcribed audio first (w2v finetune --init-from {directory}).");
    }

    /// <summary>Transcribes mono samples at the model's sampling rate (16 kHz), window by window when the clip is long.</summary>
    /// <param name="samples">The clip.</param>
    /// <param name="cancellationToken">Checked before each window.</param>
    /// <exception cref="UntranscribableAudioException">The clip is empty, shorter than the receptive field, or holds NaN/infinite samples.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Transcription Transcribe(ReadOnlySpan<float> samples, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckLength(samples.Length);
        var plan = ChunkPlanner.Plan(samples.Length, Config, Chunking, FeatureExtractor.SamplingRate);
        var logits = new StitchedLogits(AcousticModel, FeatureExtractor, samples.Length);
        foreach (var chunk in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            logits.Add(chunk, samples.Slice((int)chunk.StartSample, chunk.InputSamples));
        }
        return Decode(logits.Logits, samples.Length);
    }

    /// <summary>
    /// Transcribes a clip of <paramref name="sampleCount"/> samples read window by window through
    /// <paramref name="read"/>, so that only one window of audio is held at a time.
    /// </summary>
    /// <param name="sampleCount">Length of the clip in samples at the model's sampling rate.</param>
    /// <param name="read">Supplies any range of the clip.</param>
    /// <param name="progress">Told after each window how many of the samples are done.</param>
    /// <param name="cancellationToken">Checked before each window.</param>
    /// <exception cref="UntranscribableAudioException">The clip is shorter than the receptive field, or holds NaN/infinite samples.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Transcription Transcribe(long sampleCount, SampleReader read, IProgress<CountProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckLength(sampleCount);
        var plan = ChunkPlanner.Plan(sampleCount, Config, Chunking, FeatureExtractor.SamplingRate);
        var logits = new StitchedLogits(AcousticModel, FeatureExtractor, sampleCount);
        foreach (var chunk in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = new float[chunk.InputSamples];
            read(chunk.StartSample, window);
            logits.Add(chunk, window);
            progress?.Report(new CountProgress(Math.Min(sampleCount, chunk.StartSample + chunk.InputSamples), sampleCount));
        }
        return Decode(logits.Logits, sampleCount);
    }

    /// <summary>Refuses a clip that is too short for one output frame or holds NaN or infinite samples (check clips before batching them).</summary>
    /// <exception cref="UntranscribableAudioException">The clip is shorter than the model's receptive field (the message gives its length), or not finite.</exception>
    public void EnsureTranscribable(ReadOnlySpan<float> samples)
    {
        CheckLength(samples.Length);
        foreach (var sample in samples)
        {
            if (!float.IsFinite(sample))
                throw new UntranscribableAudioException("the clip contains NaN or infinite samples");
        }
    }

    private void CheckLength(long samples)
    {
        int minimum = Config.ReceptiveField;
        if (samples < minimum)
            throw new UntranscribableAudioException($"the clip has {samples} samples ({samples / (double)FeatureExtractor.SamplingRate:0.###} s), fewer than the {minimum} samples one output frame needs");
    }

    private Transcription Decode(FrameLogits logits, long samples)
    {
        var hypothesis = Decoder.Decode(logits.Values, logits.Frames)[0];
        return new Transcription(hypothesis.Text, logits.Values, logits.Frames, logits.VocabSize,
            samples / (double)FeatureExtractor.SamplingRate, hypothesis, SecondsPerFrame);
    }

    /// <summary>Reads, resamples and transcribes an audio file (WAV, FLAC, MP3, Ogg Vorbis).</summary>
    /// <exception cref="AudioDecodeException">The file is missing, unsupported or corrupt.</exception>
    /// <exception cref="UntranscribableAudioException">The clip is too short or holds invalid samples.</exception>
    public Transcription TranscribeFile(string path) => TranscribeFile(path, out _);

    /// <inheritdoc cref="TranscribeFile(string)"/>
    /// <param name="path">The audio file.</param>
    /// <param name="cancellationToken">Checked before each window.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Transcription TranscribeFile(string path, CancellationToken cancellationToken) => TranscribeFile(path, out _, cancellationToken);

    /// <summary>
    /// As <see cref="TranscribeFile(string)"/>: a WAV file at the model's sampling rate is read window by window while it is
    /// transcribed (memory independent of its length); any other file is decoded whole first.
    /// </summary>
    /// <param name="path">The audio file.</param>
    /// <param name="readSeconds">Time spent decoding the whole file before the model ran; 0 when it was streamed.</param>
    /// <param name="cancellationToken">Checked before each window.</param>
    public Transcription TranscribeFile(string path, out double readSeconds, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using (var wav = WavStreamReader.TryOpen(path, FeatureExtractor.SamplingRate))
        {
            if (wav is not null)
            {
                readSeconds = 0;
                return Transcribe(wav.SampleCount, wav.Read, cancellationToken: cancellationToken);
            }
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var samples = AudioFile.Load(path, FeatureExtractor.SamplingRate);
        readSeconds = clock.Elapsed.TotalSeconds;
        return Transcribe(samples, cancellationToken);
    }

    /// <summary>
    /// Decodes an audio file that is in memory or arrives as a stream (an upload, a blob) in any format
    /// <see cref="AudioFile.Decode"/> reads, resamples it to the model's rate and transcribes it; nothing touches the disk.
    /// </summary>
    /// <param name="audio">The whole file, read from its current position to its end.</param>
    /// <param name="name">Names the audio in error messages, e.g. the upload's file name.</param>
    /// <param name="cancellationToken">Checked before each window.</param>
    /// <exception cref="AudioDecodeException">The bytes are not an audio file this library reads (the message starts with <paramref name="name"/>).</exception>
    /// <exception cref="UntranscribableAudioException">The clip is empty, shorter than the receptive field, or holds NaN/infinite samples.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Transcription TranscribeAudio(Stream audio, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var copy = new MemoryStream();
        audio.CopyTo(copy);
        return Transcribe(AudioFile.Decode(copy.ToArray(), name).SamplesAt(FeatureExtractor.SamplingRate), cancellationToken);
    }

    /// <summary>Frees the model. Call it once no transcription is in flight on any thread.</summary>
    public void Dispose()
    {
        _disposed = true;
        AcousticModel.Dispose();
    }

    private bool _disposed;
}
