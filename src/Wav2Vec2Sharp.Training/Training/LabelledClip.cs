namespace Wav2Vec2Sharp.Training;

/// <summary>One transcribed utterance in memory, ready for CTC training or evaluation.</summary>
/// <param name="Samples">Audio at 16 kHz (already normalised when the model expects it).</param>
/// <param name="Labels">Token ids of the transcript (word delimiter between words).</param>
/// <param name="Text">The normalised transcript.</param>
/// <param name="Source">Where the audio came from (for reports).</param>
public sealed record LabelledClip(float[] Samples, int[] Labels, string Text, string Source)
{
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
