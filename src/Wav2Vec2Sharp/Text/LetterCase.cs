namespace Wav2Vec2Sharp.Text;

/// <summary>The case <see cref="TextNormalizer"/> gives letters.</summary>
public enum LetterCase
{
    /// <summary>Upper case (invariant culture), as in the LibriSpeech letter vocabulary.</summary>
    Upper,

    /// <summary>Lower case (invariant culture).</summary>
    Lower,

    /// <summary>Letters keep the case they have.</summary>
    Keep,
}
