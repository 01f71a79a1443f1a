using Wav2Vec2Sharp.Configuration;

namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// The network part of a <see cref="Transcriber"/>: prepared (already normalised) 16 kHz samples in, CTC frame logits
/// out.
/// </summary>
public interface IAcousticModel : IDisposable
{
    /// <summary>
    /// The architecture: frame hop (<see cref="Wav2Vec2Config.InputsToLogitsRatio"/>), receptive field,
    /// <see cref="Wav2Vec2Config.OutputLength"/> and vocabulary size.
    /// </summary>
    Wav2Vec2Config Config { get; }

    /// <summary>Logits of one prepared clip.</summary>
    /// <param name="input">The clip's samples <c>[N]</c>, normalised as the feature extractor says.</param>
    /// <returns>Row-major logits <c>[frames, vocab]</c>, frames = <see cref="Wav2Vec2Config.OutputLength"/> of <c>N</c>.</returns>
    FrameLogits Run(float[] input);

    /// <summary>
    /// Logits of several prepared clips, each of which fits one window, in the order given (an engine may pad and batch
    /// them; each result must equal <see cref="Run"/> of that clip up to float rounding).
    /// </summary>
    /// <param name="inputs">The clips, each <c>[N_i]</c> samples, normalised as the feature extractor says.</param>
    /// <returns>One row-major <c>[frames_i, vocab]</c> result per clip, in the order given.</returns>
    IReadOnlyList<FrameLogits> RunBatch(IReadOnlyList<float[]> inputs);
}
