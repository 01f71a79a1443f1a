namespace Wav2Vec2Sharp.Corpus;

/// <summary>An installed text-to-speech engine and the English voices found for it.</summary>
/// <param name="Engine">Which engine.</param>
/// <param name="Executable">The program run to synthesise (<c>espeak-ng</c>, <c>flite</c> or <c>text2wave</c>), as found on the <c>PATH</c>.</param>
/// <param name="Version">The version the program reports, e.g. <c>eSpeak NG text-to-speech: 1.51</c>.</param>
/// <param name="Voices">
/// The English voices, in ordinal order: eSpeak NG accents (<c>en-gb-x-rp</c>, <c>en-us</c>, …), Flite voice names
/// (<c>kal16</c>, <c>slt</c>, …) or Festival voice names (<c>kal_diphone</c>, selected as <c>(voice_kal_diphone)</c>).
/// </param>
/// <param name="Variants">eSpeak NG voice variants (<c>m3</c>, <c>f2</c>, <c>klatt</c>, …) used to vary speakers; empty for the other engines.</param>
public sealed record TtsEngineInfo(TtsEngine Engine, string Executable, string Version, IReadOnlyList<string> Voices, IReadOnlyList<string> Variants)
{
    /// <summary>The engine's short name used in speaker ids and reports: <c>espeak</c>, <c>flite</c> or <c>festival</c>.</summary>
    public string Name => NameOf(Engine);

    /// <summary>The short name of <paramref name="engine"/>: <c>espeak</c>, <c>flite</c> or <c>festival</c>.</summary>
    public static string NameOf(TtsEngine engine) => engine switch
    {
        TtsEngine.Espeak => "espeak",
        TtsEngine.Flite => "flite",
        TtsEngine.Festival => "festival",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };
}
