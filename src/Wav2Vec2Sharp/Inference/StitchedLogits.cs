using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Configuration;

namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Accumulates the kept frames of each window into the logits of the whole clip, <c>[frames, vocab]</c> row-major
/// (an hour is 180,000 frames × 32 × 4 B ≈ 23 MB).
/// </summary>
internal sealed class StitchedLogits(IAcousticModel acousticModel, FeatureExtractorConfig featureExtractor, long samples)
{
    public FrameLogits Logits { get; } = Allocate(acousticModel.Config, samples);

    /// <summary>Runs the acoustic model on one window's samples and copies its kept frames into place.</summary>
    public void Add(AudioChunk chunk, ReadOnlySpan<float> window)
    {
        foreach (var sample in window)
        {
            if (!float.IsFinite(sample))
                throw new UntranscribableAudioException("the clip contains NaN or infinite samples");
        }
        // HF pipeline: the feature extractor normalises each window (context included) on its own.
        var input = featureExtractor.DoNormalize ? WaveformNormalizer.ZeroMeanUnitVariance(window) : window.ToArray();
        var output = EnsureShape(acousticModel.Run(input), input.Length, acousticModel.Config);
        int vocab = output.VocabSize;
        output.Values.AsSpan(chunk.KeepFrom * vocab, chunk.KeptFrames * vocab)
            .CopyTo(Logits.Values.AsSpan((int)(chunk.FirstFrame + chunk.KeepFrom) * vocab));
    }

    /// <summary>Refuses logits of a clip of <paramref name="inputSamples"/> samples that are not <c>[OutputLength, VocabSize]</c> of <paramref name="config"/>.</summary>
    public static FrameLogits EnsureShape(FrameLogits logits, long inputSamples, Wav2Vec2Config config)
    {
        long frames = config.OutputLength(inputSamples);
        if (logits.Frames != frames || logits.VocabSize != config.VocabSize || logits.Values.Length != (long)logits.Frames * logits.VocabSize)
            throw new InvalidOperationException($"the acoustic model gave {logits.Values.Length} scores as {logits.Frames} frames × {logits.VocabSize} for {inputSamples} samples, expected {frames} frames × {config.VocabSize}");
        return logits;
    }

    private static FrameLogits Allocate(Wav2Vec2Config config, long samples)
    {
        int frames = checked((int)config.OutputLength(samples));
        return new FrameLogits(new float[checked(frames * config.VocabSize)], frames, config.VocabSize);
    }
}
