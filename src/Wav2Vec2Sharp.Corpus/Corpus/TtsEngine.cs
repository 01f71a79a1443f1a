namespace Wav2Vec2Sharp.Corpus;

/// <summary>The text-to-speech programs a synthetic corpus can be made with (Debian packages in brackets).</summary>
public enum TtsEngine
{
    /// <summary>eSpeak NG (<c>espeak-ng</c>): formant synthesis, many English accents and voice variants, 22.05 kHz output.</summary>
    Espeak,

    /// <summary>CMU Flite (<c>flite</c>): diphone and clustergen voices <c>kal16</c>, <c>awb</c>, <c>rms</c>, <c>slt</c>.</summary>
    Flite,

    /// <summary>Festival's <c>text2wave</c> (<c>festival</c> with <c>festvox-*</c> voices such as <c>kal_diphone</c>, <c>ked_diphone</c>, <c>cmu_us_slt_arctic_hts</c>).</summary>
    Festival,
}
