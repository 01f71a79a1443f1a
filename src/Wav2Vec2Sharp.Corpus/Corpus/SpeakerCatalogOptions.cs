namespace Wav2Vec2Sharp.Corpus;

/// <summary>How a <see cref="SpeakerCatalog"/> makes speakers from the installed voices and which it holds out.</summary>
public sealed record SpeakerCatalogOptions
{
    /// <summary>The default settings.</summary>
    public static SpeakerCatalogOptions Default { get; } = new();

    /// <summary>How many speakers (variant, pitch and tempo settings) each voice gives; 4 by default.</summary>
    public int SpeakersPerVoice { get; init; } = 4;

    /// <summary>
    /// How many voices of each engine are held out as unseen (never used for training); 1 by default. An engine always
    /// keeps at least one training voice, so an engine with a single voice holds none out.
    /// </summary>
    public int HeldOutVoicesPerEngine { get; init; } = 1;

    /// <summary>Engines whose voices are all unseen: the engine itself is never heard in training. Empty by default.</summary>
    public IReadOnlyList<TtsEngine> UnseenEngines { get; init; } = [];
}
