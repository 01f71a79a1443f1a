namespace Wav2Vec2Sharp.Inference;

/// <summary>
/// How long clips are cut for inference, with Hugging Face <c>AutomaticSpeechRecognitionPipeline</c> semantics:
/// windows of <see cref="ChunkSeconds"/> advance by <c>chunk − 2 · stride</c>; each window runs the model on its
/// samples including <see cref="StrideSeconds"/> of context on either side (none before the first window, none after
/// the last), the logits of the context frames are dropped, and the kept frames are concatenated and decoded once.
/// Lengths are rounded to whole output frames (<see cref="Configuration.Wav2Vec2Config.InputsToLogitsRatio"/>
/// samples, 320 = 20 ms for the standard CNN), as HF rounds them to <c>inputs_to_logits_ratio</c>.
/// </summary>
/// <remarks>
/// Attention cost grows with the square of the window, so memory stays bounded by the window, not the clip. A clip no
/// longer than <see cref="ChunkSeconds"/> runs in one piece, exactly as without chunking.
/// </remarks>
public sealed record ChunkingOptions
{
    /// <summary>Window length in seconds, context included (HF <c>chunk_length_s</c>); 0 or less never chunks.</summary>
    public double ChunkSeconds { get; init; } = 30;

    /// <summary>Context on each side in seconds (HF <c>stride_length_s</c>); <c>null</c> means <see cref="ChunkSeconds"/> / 6, as in HF.</summary>
    public double? StrideSeconds { get; init; }

    /// <summary>Chunk clips longer than 30 s, with 5 s of context on each side.</summary>
    public static ChunkingOptions Default { get; } = new();

    /// <summary>Always run the whole clip at once.</summary>
    public static ChunkingOptions Disabled { get; } = new() { ChunkSeconds = 0 };

    /// <summary>Whether chunking is switched on at all.</summary>
    public bool Enabled => ChunkSeconds > 0;

    /// <summary>The context on each side in seconds, after applying the default.</summary>
    public double EffectiveStrideSeconds => StrideSeconds ?? ChunkSeconds / 6;

    /// <summary>
    /// Checks the lengths: <see cref="ChunkSeconds"/> must be a number (0 or less never chunks) and
    /// <see cref="StrideSeconds"/> null or a finite length of 0 or more. Whether a window is longer than twice its
    /// context is checked when a long clip is planned, in whole frames.
    /// </summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A NaN or infinite window, or a negative, NaN or infinite context.</exception>
    public ChunkingOptions Validate()
    {
        if (!double.IsFinite(ChunkSeconds))
            throw new ArgumentException($"ChunkSeconds must be a finite number of seconds (0 or less never chunks), not {ChunkSeconds}.");
        if (StrideSeconds is { } stride && (!double.IsFinite(stride) || stride < 0))
            throw new ArgumentException($"StrideSeconds must be null (ChunkSeconds / 6) or a finite number of seconds of 0 or more, not {stride}.");
        return this;
    }
}
