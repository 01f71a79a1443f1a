namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>The spectral colour of the noise added by <see cref="ChannelEffects.AddNoise"/>.</summary>
public enum NoiseColor
{
    /// <summary>A flat power spectrum (Gaussian white noise).</summary>
    White,

    /// <summary>Power falling 3 dB per octave (1/f).</summary>
    Pink,

    /// <summary>Power falling 6 dB per octave (1/f², Brownian / red noise).</summary>
    Brown,
}
