namespace Wav2Vec2Sharp.Training;

/// <summary>One transcribed utterance in memory, ready for CTC training or evaluation.</summary>
/// <param name="Samples">Audio at 16 kHz (already normalised when the model expects it).</param>
/// <param name="Labels">Token ids of the transcript (word delimiter between words).</param>
/// <param name="Text">The normalised transcript.</param>
/// <param name="Source">Where the audio came from (for reports).</param>
public sealed record LabelledClip(float[] Samples, int[] Labels, string Text, string Source)
{
    /// <summary>
    /// The audio at 16 kHz before normalisation, kept when <see cref="Samples"/> is normalised and the clip is to be
    /// augmented: <see cref="FineTuningOptions.Augmentation"/> works on raw audio (µ-law and gain clip to [-1, 1]) and
    /// normalises afterwards, and refuses normalised training clips without it. Null otherwise.
    /// </summary>
    public float[]? RawSamples { get; init; }

    /// <summary>Frames CTC needs at least: one per label plus a blank between each pair of equal neighbours.</summary>
    public int RequiredFrames
    {
        get
        {
            int required = Labels.Length;
            for (int i = 1; i < Labels.Length; i++)
            {
                if (Labels[i] == Labels[i - 1])
                    required++;
            }
            return required;
        }
    }
}
