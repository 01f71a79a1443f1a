namespace Wav2Vec2Sharp.Text;

/// <summary>How <see cref="LabelledManifest.Read(string, LabelledManifestOptions?)"/> treats the rows it reads.</summary>
public sealed record LabelledManifestOptions
{
    /// <summary>The defaults: texts normalised by <see cref="TextNormalizer.Default"/>, audio files checked.</summary>
    public static LabelledManifestOptions Default { get; } = new();

    /// <summary>
    /// Normalises each transcript; <see cref="TextNormalizer.Default"/> unless set. When <see langword="null"/>, texts are
    /// kept as written except that whitespace runs become single spaces and the ends are trimmed.
    /// </summary>
    public TextNormalizer? Normalizer { get; init; } = TextNormalizer.Default;

    /// <summary>Whether rows whose audio file does not exist are reported as bad rows. Default <see langword="true"/>.</summary>
    public bool CheckAudioExists { get; init; } = true;
}
