namespace Wav2Vec2Sharp.Corpus;

/// <summary>What is known about particular voices: whether their pitch can be set, and their mean F0.</summary>
internal static class VoiceTraits
{
    /// <summary>Measured mean F0 (Hz) of Flite's voices that honour <c>int_f0_target_mean</c>.</summary>
    private static readonly Dictionary<string, double> FliteMeanF0 = new(StringComparer.Ordinal)
    {
        ["kal"] = 95,
        ["kal16"] = 95,
        ["awb"] = 125,
        ["slt"] = 170,
    };

    /// <summary>Whether <see cref="Speaker.Pitch"/> has an effect on <paramref name="voice"/> of <paramref name="engine"/>.</summary>
    public static bool SupportsPitch(TtsEngine engine, string voice) => engine switch
    {
        TtsEngine.Espeak => true,
        TtsEngine.Flite => FliteMeanF0.ContainsKey(voice),
        TtsEngine.Festival => voice.EndsWith("_diphone", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// The recorded person behind a voice, so that a voice is not "unseen" while the same person's recordings are heard
    /// in training through another engine: Flite's <c>kal16</c> and Festival's <c>kal_diphone</c> are both Kal,
    /// <c>slt</c> and <c>cmu_us_slt_arctic_hts</c> both SLT. eSpeak NG's accents are rule-based, each its own "donor".
    /// </summary>
    public static string Donor(TtsEngine engine, string voice)
    {
        if (engine == TtsEngine.Espeak)
            return "espeak:" + voice;
        var name = voice;
        if (name.StartsWith("cmu_us_", StringComparison.Ordinal) || name.StartsWith("cmu_uk_", StringComparison.Ordinal))
            name = name["cmu_us_".Length..];
        int cut = name.IndexOf('_');
        if (cut > 0)
            name = name[..cut];
        if (engine == TtsEngine.Flite && name.EndsWith("16", StringComparison.Ordinal))
            name = name[..^2];
        return name;
    }

    /// <summary>The mean F0 of a Flite voice, in Hz (only for voices where <see cref="SupportsPitch"/> holds).</summary>
    public static double FliteF0(string voice) => FliteMeanF0[voice];
}
