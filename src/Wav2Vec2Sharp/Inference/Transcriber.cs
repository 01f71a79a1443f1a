using Wav2Vec2Sharp.Runtime;
using TorchSharp;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Speech to text with a fine-tuned CTC model: audio → windows (<see cref="Chunking"/>) → per-window normalisation as
/// the preprocessor config says → <see cref="Wav2Vec2ForCtc"/> in inference mode → stitched frame logits → one pass
/// of the <see cref="Decoder"/> (greedy by default).
/// </summary>
/// <remarks>
/// Normalisation (<see cref="FeatureExtractorConfig.DoNormalize"/>) follows HF's pipeline: each window, context
/// included, is normalised on its own by the feature extractor, so a chunked clip is normalised per window rather than
/// over the whole clip. A clip that fits one window is normalised as a whole, exactly as without chunking.
/// </remarks>
public sealed partial class Transcriber : IDisposable
{
    /// <summary>Wraps a loaded model.</summary>
    /// <param name="model">The CTC model (switched to eval mode).</param>
    /// <param name="vocabulary">Its output symbols.</param>
    /// <param name="featureExtractor">Input preprocessing.</param>
    /// <param name="decoder">Turns logits into text; <see cref="GreedyCtcDecoder"/> when <c>null</c>.</param>
    /// <param name="chunking">How long clips are cut; <see cref="ChunkingOptions.Default"/> when <c>null</c>.</param>
    public Transcriber(Wav2Vec2ForCtc model, Vocabulary vocabulary, FeatureExtractorConfig featureExtractor,
        ICtcDecoder? decoder = null, ChunkingOptions? chunking = null)
    {
        if (vocabulary.Count != model.Config.VocabSize)
            throw new ConfigException($"the vocabulary has {vocabulary.Count} tokens but the model's vocab_size is {model.Config.VocabSize}.");
        Model = model;
        Vocabulary = vocabulary;
        FeatureExtractor = featureExtractor;
        Decoder = decoder ?? new GreedyCtcDecoder(vocabulary);
        Chunking = chunking ?? ChunkingOptions.Default;
        model.eval();
    }

    /// <summary>The CTC model.</summary>
    public Wav2Vec2ForCtc Model { get; }

    /// <summary>The model's output symbols.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The input preprocessing settings.</summary>
    public FeatureExtractorConfig FeatureExtractor { get; }

    /// <summary>The decoder applied to the stitched logits of a clip.</summary>
    public ICtcDecoder Decoder { get; set; }

    /// <summary>How long clips are cut into windows.</summary>
    public ChunkingOptions Chunking { get; set; }

    /// <summary>Duration of one output frame in seconds (hop / sampling rate: 320 / 16000 = 0.02).</summary>
    public double SecondsPerFrame => Model.Config.InputsToLogitsRatio / (double)FeatureExtractor.SamplingRate;

    /// <summary>Loads <c>config.json</c>, weights, <c>vocab.json</c> and <c>preprocessor_config.json</c> from an HF directory.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="decoderFactory">Builds the decoder from the vocabulary; greedy decoding when <c>null</c>.</param>
    /// <exception cref="Wav2Vec2SharpException">A file is missing or invalid, or the weights do not fit the configuration.</exception>
    public static Transcriber Load(string directory, Func<Vocabulary, ICtcDecoder>? decoderFactory = null)
    {
        TorchRuntime.EnsureLoaded();
        var model = Wav2Vec2Pretrained.LoadForCtc(directory);
        var vocabulary = Vocabulary.Load(Path.Combine(directory, "vocab.json"));
        return new Transcriber(model, vocabulary, ModelDirectory.ReadFeatureExtractor(directory, model.Config), decoderFactory?.Invoke(vocabulary));
    }

    /// <summary>Transcribes mono samples at the model's sampling rate (16 kHz), window by window when the clip is long.</summary>
    /// <exception cref="ArgumentException">The clip is empty, shorter than the receptive field, or holds NaN/infinite samples.</exception>
    public Transcription Transcribe(ReadOnlySpan<float> samples)
    {
        CheckLength(samples.Length);
        var plan = ChunkPlanner.Plan(samples.Length, Model.Config, Chunking, FeatureExtractor.SamplingRate);
        var logits = new StitchedLogits(Model, FeatureExtractor, samples.Length);
        foreach (var chunk in plan)
            logits.Add(chunk, samples.Slice((int)chunk.StartSample, chunk.InputSamples));
        return Decode(logits, samples.Length);
    }

    /// <summary>
    /// Transcribes a clip of <paramref name="sampleCount"/> samples read window by window through
    /// <paramref name="read"/>, so that only one window of audio is held at a time.
    /// </summary>
    /// <param name="sampleCount">Length of the clip in samples at the model's sampling rate.</param>
    /// <param name="read">Supplies any range of the clip.</param>
    /// <param name="progress">Told after each window how many of the samples are done.</param>
    /// <exception cref="ArgumentException">The clip is shorter than the receptive field, or holds NaN/infinite samples.</exception>
    public Transcription Transcribe(long sampleCount, SampleReader read, IProgress<CountProgress>? progress = null)
    {
        CheckLength(sampleCount);
        var plan = ChunkPlanner.Plan(sampleCount, Model.Config, Chunking, FeatureExtractor.SamplingRate);
        var logits = new StitchedLogits(Model, FeatureExtractor, sampleCount);
        foreach (var chunk in plan)
        {
            var window = new float[chunk.InputSamples];
            read(chunk.StartSample, window);
            logits.Add(chunk, window);
            progress?.Report(new CountProgress(Math.Min(sampleCount, chunk.StartSample + chunk.InputSamples), sampleCount));
        }
        return Decode(logits, sampleCount);
    }

    /// <summary>Refuses a clip that is too short for one output frame or holds NaN or infinite samples (check clips before batching them).</summary>
    /// <exception cref="ArgumentException">The clip is shorter than the model's receptive field (the message gives its length), or not finite.</exception>
    public void EnsureTranscribable(ReadOnlySpan<float> samples)
    {
        CheckLength(samples.Length);
        foreach (var sample in samples)
        {
            if (!float.IsFinite(sample))
                throw new ArgumentException("the clip contains NaN or infinite samples");
        }
    }

    private void CheckLength(long samples)
    {
        int minimum = Model.Config.ReceptiveField;
        if (samples < minimum)
            throw new ArgumentException($"the clip has {samples} samples ({samples / (double)FeatureExtractor.SamplingRate:0.###} s), fewer than the {minimum} samples one output frame needs");
    }

    private Transcription Decode(StitchedLogits logits, long samples)
    {
        var hypothesis = Decoder.Decode(logits.Values, logits.Frames)[0];
        return new Transcription(hypothesis.Text, logits.Values, logits.Frames, logits.VocabSize,
            samples / (double)FeatureExtractor.SamplingRate, hypothesis, SecondsPerFrame);
    }

    /// <summary>Row-major frame logits <c>[frames, vocab]</c> of one prepared clip, in inference mode.</summary>
    internal static (float[] Logits, int Frames, int VocabSize) FrameLogits(Wav2Vec2ForCtc model, float[] input)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var values = tensor(input).unsqueeze(0).to(TorchRuntime.DeviceOf(model)); // (N) -> (1, N)
        using var output = model.call(values, null);
        var logits = output.Logits[0].cpu().contiguous(); // (T, V)
        return (logits.data<float>().ToArray(), (int)logits.shape[0], (int)logits.shape[1]);
    }

    /// <summary>Reads, resamples and transcribes an audio file (WAV, FLAC, MP3, Ogg Vorbis).</summary>
    /// <exception cref="AudioDecodeException">The file is missing, unsupported or corrupt.</exception>
    /// <exception cref="ArgumentException">The clip is too short or holds invalid samples.</exception>
    public Transcription TranscribeFile(string path) => TranscribeFile(path, out _);

    /// <summary>
    /// As <see cref="TranscribeFile(string)"/>: a WAV file at the model's sampling rate is read window by window while it is
    /// transcribed (memory independent of its length); any other file is decoded whole first.
    /// </summary>
    /// <param name="path">The audio file.</param>
    /// <param name="readSeconds">Time spent decoding the whole file before the model ran; 0 when it was streamed.</param>
    public Transcription TranscribeFile(string path, out double readSeconds)
    {
        using (var wav = WavStreamReader.TryOpen(path, FeatureExtractor.SamplingRate))
        {
            if (wav is not null)
            {
                readSeconds = 0;
                return Transcribe(wav.SampleCount, wav.Read);
            }
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var samples = AudioFile.Load(path, FeatureExtractor.SamplingRate);
        readSeconds = clock.Elapsed.TotalSeconds;
        return Transcribe(samples);
    }

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
