namespace Wav2Vec2Sharp.Text;

/// <summary>Settings of a <see cref="TextNormalizer"/>.</summary>
/// <example>
/// Lower-case text without digits:
/// <code>var normalizer = new TextNormalizer(new TextNormalizerOptions { Case = LetterCase.Lower, KeepDigits = false });</code>
/// </example>
public sealed record TextNormalizerOptions
{
    /// <summary>The settings matching the LibriSpeech letter vocabulary: upper case, digits and apostrophes kept.</summary>
    public static TextNormalizerOptions Default { get; } = new();

    /// <summary>The case letters are given; <see cref="LetterCase.Upper"/> by default.</summary>
    public LetterCase Case { get; init; } = LetterCase.Upper;

    /// <summary>Whether digits (and other numeric characters) are kept; when <see langword="false"/> they are deleted. Default <see langword="true"/>.</summary>
    public bool KeepDigits { get; init; } = true;

    /// <summary>
    /// Whether apostrophes inside words (<c>don't</c>) are kept; when <see langword="false"/> every apostrophe separates
    /// words. Default <see langword="true"/>.
    /// </summary>
    public bool KeepApostrophes { get; init; } = true;
}
