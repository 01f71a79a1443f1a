using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Models;

namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Accumulates the kept frames of each window into the logits of the whole clip, <c>[frames, vocab]</c> row-major
/// (an hour is 180,000 frames × 32 × 4 B ≈ 23 MB).
/// </summary>
internal sealed class StitchedLogits(Wav2Vec2ForCtc model, FeatureExtractorConfig featureExtractor, long samples)
{
    public int Frames { get; } = checked((int)model.Config.OutputLength(samples));

    public int VocabSize { get; } = model.Config.VocabSize;

    public float[] Values { get; } = new float[checked((int)model.Config.OutputLength(samples) * model.Config.VocabSize)];

    /// <summary>Runs the model on one window's samples and copies its kept frames into place.</summary>
    public void Add(AudioChunk chunk, ReadOnlySpan<float> window)
    {
        foreach (var sample in window)
        {
            if (!float.IsFinite(sample))
                throw new ArgumentException("the clip contains NaN or infinite samples");
        }
        // HF pipeline: the feature extractor normalises each window (context included) on its own.
        var input = featureExtractor.DoNormalize ? WaveformNormalizer.ZeroMeanUnitVariance(window) : window.ToArray();
        var (data, frames, vocab) = Transcriber.FrameLogits(model, input);
        if (frames < chunk.KeepTo || vocab != VocabSize)
            throw new InvalidOperationException($"a window of {chunk.InputSamples} samples gave {frames} frames, expected at least {chunk.KeepTo}");
        data.AsSpan(chunk.KeepFrom * vocab, chunk.KeptFrames * vocab)
            .CopyTo(Values.AsSpan((int)(chunk.FirstFrame + chunk.KeepFrom) * vocab));
    }
}
