namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// Samples that decode but cannot be transcribed: fewer than the model's receptive field (one output frame), NaN or
/// infinite values, or a single window longer than 2^31 samples with chunking off. The message says which, with the
/// clip's length where it matters; callers that know the file prefix its name.
/// </summary>
public sealed class UntranscribableAudioException : Wav2Vec2SharpException
{
    /// <summary>Creates the exception with a complete, user-facing message (no file name).</summary>
    /// <param name="problem">What is wrong with the samples, e.g. <c>"the clip contains NaN or infinite samples"</c>.</param>
    public UntranscribableAudioException(string problem) : base(problem) { }
}
