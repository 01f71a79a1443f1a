using System.Globalization;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// One synthetic speaker: a fixed engine, voice, variant, pitch and speaking rate. Every utterance of a speaker is
/// made with exactly these settings.
/// </summary>
/// <param name="Engine">The engine.</param>
/// <param name="Voice">The engine's voice (an eSpeak NG accent such as <c>en-gb-x-rp</c>, a Flite voice, a Festival voice).</param>
/// <param name="Variant">The eSpeak NG variant (<c>m3</c>, <c>f2</c>, …), or <see langword="null"/>.</param>
/// <param name="Pitch">
/// The voice's pitch relative to its default (1.0 = unchanged). eSpeak NG gets <c>-p 50 + 100·(Pitch − 1)</c>; Flite
/// gets <c>int_f0_target_mean</c> scaled from the voice's own mean; Festival diphone voices get their
/// <c>target_f0_mean</c> scaled. Voices that ignore these settings (Flite <c>rms</c>, Festival HTS and clunits voices)
/// always have 1.0.
/// </param>
/// <param name="Tempo">
/// The speaking rate relative to the default (1.1 = 10 % faster): eSpeak NG gets <c>-s 175·Tempo</c> words per minute,
/// Flite and Festival a duration stretch of <c>1/Tempo</c>.
/// </param>
public sealed record Speaker(TtsEngine Engine, string Voice, string? Variant, double Pitch, double Tempo)
{
    /// <summary>
    /// A name that identifies the settings, e.g. <c>espeak-en-gb-x-rp+m3-p0.90-t1.05</c> or <c>flite-slt-p1.10-t0.95</c>;
    /// it is part of each utterance's cache key.
    /// </summary>
    public string Id => string.Create(CultureInfo.InvariantCulture,
        $"{TtsEngineInfo.NameOf(Engine)}-{Voice}{(Variant is null ? "" : "+" + Variant)}-p{Pitch:0.00}-t{Tempo:0.00}");

    /// <summary>The voice with its engine, e.g. <c>espeak:en-gb-scotland</c>: speakers of one voice share its accent and timbre.</summary>
    public string VoiceId => $"{TtsEngineInfo.NameOf(Engine)}:{Voice}";

    /// <inheritdoc/>
    public override string ToString() => Id;
}
