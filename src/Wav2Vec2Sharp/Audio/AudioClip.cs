namespace Wav2Vec2Sharp.Audio;

/// <summary>A decoded audio clip, mixed down to mono at its original sample rate.</summary>
/// <param name="Samples">
/// Mono samples. Integer PCM maps to [-1, 1) (a signed <c>b</c>-bit value is divided by 2^(b-1), 8-bit
/// unsigned WAV is centred on 128 first); floating-point sources are passed through unscaled. Multi-channel
/// sources are mixed down by averaging the channels.
/// </param>
/// <param name="SampleRate">The sample rate of the file, in Hz.</param>
/// <param name="Channels">The number of channels in the file, before the mix-down to mono.</param>
/// <param name="Format">The container/codec detected from the file's magic bytes: <c>"wav"</c>, <c>"flac"</c>, <c>"mp3"</c>, <c>"ogg"</c> (Vorbis), <c>"opus"</c> (Ogg Opus) or <c>"webm"</c> (WebM Opus).</param>
public sealed record AudioClip(float[] Samples, int SampleRate, int Channels, string Format)
{
    /// <summary>The duration of the clip.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    /// <summary>
    /// The mono samples at <paramref name="sampleRate"/>: <see cref="Samples"/> themselves at the clip's own rate, else
    /// resampled with <see cref="Resampler"/> (the length then as <see cref="Resampler.OutputLength"/> says).
    /// </summary>
    /// <param name="sampleRate">The sample rate wanted, in Hz.</param>
    public float[] SamplesAt(int sampleRate) =>
        sampleRate == SampleRate ? Samples : Resampler.Resample(Samples, SampleRate, sampleRate);
}
