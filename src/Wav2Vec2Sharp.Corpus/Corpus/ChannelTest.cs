namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// A channel through which <c>test_seen</c> is played to make a channel-shift test set
/// (<see cref="CorpusOptions.ChannelTests"/>): the same utterances and texts, spoken by seen voices, heard through
/// another channel. The sets are for evaluation only, never for training or model selection.
/// </summary>
public enum ChannelTest
{
    /// <summary><c>test_seen_telephone</c>: the 300–3400 Hz band at 8 kHz with G.711 µ-law, back at 16 kHz.</summary>
    Telephone,

    /// <summary><c>test_seen_mp3</c>: a LAME round trip at 16 kbit/s (mono, 16 kHz), decoded by NLayer; needs <c>lame</c> on the PATH.</summary>
    Mp3,

    /// <summary><c>test_seen_reverb</c>: a synthetic room with RT60 0.5 s and a direct-to-reverberant ratio of 3 dB.</summary>
    Reverb,

    /// <summary><c>test_seen_noise10</c>: pink noise at 10 dB SNR.</summary>
    Noise10,
}
