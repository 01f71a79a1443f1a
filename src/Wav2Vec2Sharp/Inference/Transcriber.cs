using TorchSharp;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Speech to text with a fine-tuned CTC model: audio → (per-utterance normalisation as the preprocessor config says)
/// → <see cref="Wav2Vec2ForCtc"/> in inference mode → greedy CTC decoding.
/// </summary>
public sealed class Transcriber : IDisposable
{
    private readonly GreedyCtcDecoder _decoder;

    /// <summary>Wraps a loaded model.</summary>
    public Transcriber(Wav2Vec2ForCtc model, Vocabulary vocabulary, FeatureExtractorConfig featureExtractor)
    {
        if (vocabulary.Count != model.Config.VocabSize)
            throw new ConfigException($"the vocabulary has {vocabulary.Count} tokens but the model's vocab_size is {model.Config.VocabSize}.");
        Model = model;
        Vocabulary = vocabulary;
        FeatureExtractor = featureExtractor;
        _decoder = new GreedyCtcDecoder(vocabulary);
        model.eval();
    }

    /// <summary>The CTC model.</summary>
    public Wav2Vec2ForCtc Model { get; }

    /// <summary>The model's output symbols.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The input preprocessing settings.</summary>
    public FeatureExtractorConfig FeatureExtractor { get; }

    /// <summary>Loads <c>config.json</c>, weights, <c>vocab.json</c> and <c>preprocessor_config.json</c> from an HF directory.</summary>
    /// <exception cref="Wav2Vec2SharpException">A file is missing or invalid, or the weights do not fit the configuration.</exception>
    public static Transcriber Load(string directory)
    {
        TorchRuntime.EnsureLoaded();
        var model = Wav2Vec2Pretrained.LoadForCtc(directory);
        var vocabulary = Vocabulary.Load(Path.Combine(directory, "vocab.json"));
        return new Transcriber(model, vocabulary, ModelDirectory.ReadFeatureExtractor(directory, model.Config));
    }

    /// <summary>Transcribes mono samples at the model's sampling rate (16 kHz).</summary>
    /// <exception cref="ArgumentException">The clip is empty, shorter than the receptive field, or holds NaN/infinite samples.</exception>
    public Transcription Transcribe(ReadOnlySpan<float> samples)
    {
        int minimum = Model.Config.ReceptiveField;
        if (samples.Length < minimum)
            throw new ArgumentException($"the clip has {samples.Length} samples ({samples.Length / (double)FeatureExtractor.SamplingRate:0.###} s), fewer than the {minimum} samples one output frame needs");
        foreach (var sample in samples)
        {
            if (!float.IsFinite(sample))
                throw new ArgumentException("the clip contains NaN or infinite samples");
        }
        var input = FeatureExtractor.DoNormalize ? WaveformNormalizer.ZeroMeanUnitVariance(samples) : samples.ToArray();

        var (data, frames, vocab) = FrameLogits(Model, input);
        return new Transcription(_decoder.Decode(data, frames), data, frames, vocab, samples.Length / (double)FeatureExtractor.SamplingRate);
    }

    /// <summary>Row-major frame logits <c>[frames, vocab]</c> of one prepared clip, in inference mode.</summary>
    internal static (float[] Logits, int Frames, int VocabSize) FrameLogits(Wav2Vec2ForCtc model, float[] input)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var values = tensor(input).unsqueeze(0); // (N) -> (1, N)
        using var output = model.call(values, null);
        var logits = output.Logits[0].contiguous(); // (T, V)
        return (logits.data<float>().ToArray(), (int)logits.shape[0], (int)logits.shape[1]);
    }

    /// <summary>Reads, resamples and transcribes an audio file (WAV, FLAC, MP3, Ogg Vorbis).</summary>
    /// <exception cref="AudioDecodeException">The file is missing, unsupported or corrupt.</exception>
    /// <exception cref="ArgumentException">The clip is too short or holds invalid samples.</exception>
    public Transcription TranscribeFile(string path) => Transcribe(AudioFile.Load(path, FeatureExtractor.SamplingRate));

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
