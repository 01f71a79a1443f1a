namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// Channel effects for data augmentation and channel-shift test sets: telephone band and µ-law, room reverberation,
/// additive noise and babble, speed perturbation, formant (vocal-tract-length) and pitch shifts, equalisation, gain and DC offset. Pure in-process DSP on mono float samples at
/// any rate; each effect returns a new array and leaves its input unchanged; the random ones draw only from the
/// <see cref="Random"/> they are given, so a seeded <see cref="Random"/> makes them deterministic.
/// </summary>
public static class ChannelEffects
{
    /// <summary>The telephone channel's sample rate, in Hz.</summary>
    private const int TelephoneRate = 8000;

    /// <summary>
    /// A telephone channel: resampled to 8 kHz with <see cref="Resampler"/>, band-passed to 300–3400 Hz (4th-order
    /// Butterworth high-pass and low-pass, each two biquads), optionally quantised through 8-bit G.711 µ-law, and
    /// resampled back to <paramref name="sampleRate"/>.
    /// </summary>
    /// <param name="samples">The signal, nominally in [-1, 1] (µ-law clips outside it).</param>
    /// <param name="sampleRate">Its sample rate, in Hz.</param>
    /// <param name="muLaw">Whether to apply G.711 µ-law companding (8-bit quantisation) at 8 kHz.</param>
    /// <returns>A new array of the input's length, at the input's rate.</returns>
    public static float[] Telephone(float[] samples, int sampleRate, bool muLaw = true)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        float[] narrow = Resampler.Resample(samples, sampleRate, TelephoneRate);
        var band = new double[narrow.Length];
        for (int i = 0; i < narrow.Length; i++)
            band[i] = narrow[i];
        foreach (double q in Biquad.ButterworthOrder4Q)
            Biquad.HighPass(300, q, TelephoneRate).Process(band);
        foreach (double q in Biquad.ButterworthOrder4Q)
            Biquad.LowPass(3400, q, TelephoneRate).Process(band);
        for (int i = 0; i < band.Length; i++)
            narrow[i] = muLaw ? MuLaw.RoundTrip((float)band[i]) : (float)band[i];
        float[] back = Resampler.Resample(narrow, TelephoneRate, sampleRate);
        var result = new float[samples.Length];
        Array.Copy(back, result, Math.Min(back.Length, result.Length));
        return result;
    }

    /// <summary>
    /// Room reverberation: the signal convolved (by FFT) with a synthetic impulse response of exponentially decaying
    /// Gaussian noise (energy down 60 dB after <paramref name="rt60Seconds"/>, cut at min(RT60, 0.6 s)), with a direct
    /// path at lag 0 and 4–7 early reflections between 2 and 40 ms, all drawn from <paramref name="random"/>. The tail
    /// beyond the input's end is cut, and the result is rescaled to the input's RMS level (it is not clipped).
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="sampleRate">Its sample rate, in Hz.</param>
    /// <param name="rt60Seconds">The reverberation time: seconds for the reverberant energy to fall by 60 dB.</param>
    /// <param name="directToReverberantDb">The direct path's energy over the reflections' and tail's, in dB.</param>
    /// <param name="random">The source of the impulse response.</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] Reverberate(float[] samples, int sampleRate, double rt60Seconds, double directToReverberantDb, Random random)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(rt60Seconds > 0) || double.IsInfinity(rt60Seconds))
            throw new ArgumentOutOfRangeException(nameof(rt60Seconds), rt60Seconds, "RT60 must be a positive number of seconds.");
        if (!double.IsFinite(directToReverberantDb))
            throw new ArgumentOutOfRangeException(nameof(directToReverberantDb), directToReverberantDb, "The direct-to-reverberant ratio must be finite.");

        float[] ir = RoomImpulseResponse.Build(sampleRate, rt60Seconds, directToReverberantDb, random);
        double[] wet = Fft.Convolve(samples, ir, samples.Length);
        return AtPowerOf(wet, samples);
    }

    /// <summary>
    /// Adds zero-mean noise of <paramref name="color"/> at <paramref name="snrDb"/> relative to the signal's mean power
    /// (the mean of its squares over the whole array). A silent or empty signal is returned unchanged (as a copy).
    /// The result is not clipped.
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="color">White, pink (−3 dB/octave) or brown (−6 dB/octave) noise.</param>
    /// <param name="snrDb">The signal-to-noise ratio, in dB.</param>
    /// <param name="random">The source of the noise.</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] AddNoise(float[] samples, NoiseColor color, double snrDb, Random random)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(random);
        if (!Enum.IsDefined(color))
            throw new ArgumentOutOfRangeException(nameof(color), color, "Unknown noise colour.");
        if (!double.IsFinite(snrDb))
            throw new ArgumentOutOfRangeException(nameof(snrDb), snrDb, "The SNR must be finite.");
        double[] noise = Noise.Colored(samples.Length, color, random);
        return Mix(samples, noise, snrDb);
    }

    /// <summary>
    /// Adds babble: the sum of 3–7 utterances from <paramref name="others"/> (chosen without repetition while the pool
    /// allows; each looped or cut to the signal's length from a random offset and brought to unit RMS), at
    /// <paramref name="snrDb"/> relative to the signal's mean power. Entries that are empty or are the very array
    /// <paramref name="samples"/> are passed over. A silent or empty signal is returned unchanged (as a copy).
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="others">Other utterances at the same sample rate.</param>
    /// <param name="snrDb">The signal-to-babble ratio, in dB.</param>
    /// <param name="random">The source of the choices and offsets.</param>
    /// <returns>A new array of the input's length.</returns>
    /// <exception cref="ArgumentException"><paramref name="others"/> holds no usable (non-empty, non-silent) utterance.</exception>
    public static float[] AddBabble(float[] samples, IReadOnlyList<float[]> others, double snrDb, Random random)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(random);
        if (!double.IsFinite(snrDb))
            throw new ArgumentOutOfRangeException(nameof(snrDb), snrDb, "The SNR must be finite.");
        return TryAddBabble(samples, others, snrDb, random, out float[] result)
            ? result
            : throw new ArgumentException("Babble needs at least one other, non-silent utterance.", nameof(others));
    }

    /// <summary>
    /// <see cref="AddBabble"/>, or false when <paramref name="others"/> holds no usable utterance. Only the entries
    /// visited in the shuffled order (until enough talkers are found) are measured, so a large pool costs little.
    /// </summary>
    internal static bool TryAddBabble(float[] samples, IReadOnlyList<float[]> others, double snrDb, Random random, out float[] result)
    {
        int talkers = random.Next(3, 8);
        var order = new int[others.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var chosen = new List<(float[] Audio, double Gain)>(talkers);
        foreach (int index in order)
        {
            if (others[index] is not { Length: > 0 } other || ReferenceEquals(other, samples))
                continue;
            double power = MeanPower(other);
            if (power > 0)
                chosen.Add((other, 1 / Math.Sqrt(power)));
            if (chosen.Count == talkers)
                break;
        }
        if (chosen.Count == 0)
        {
            result = [];
            return false;
        }

        var babble = new double[samples.Length];
        for (int t = 0; t < talkers; t++)
        {
            var (other, gain) = chosen[t % chosen.Count];
            int offset = random.Next(other.Length);
            for (int i = 0; i < babble.Length; i++)
                babble[i] += other[(offset + i) % other.Length] * gain;
        }
        result = Mix(samples, babble, snrDb);
        return true;
    }

    /// <summary>
    /// Speed perturbation as in Kaldi recipes (sox <c>speed</c>): tempo and pitch change together, by resampling with
    /// <see cref="Resampler"/> at the ratio 1 / <paramref name="factor"/> (the factor is taken to 1/1000). A factor of
    /// 0.9 makes the signal 1/0.9 times longer and lower; 1.1 shorter and higher; 1 gives a copy.
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="factor">The speed factor, ≥ 0.001.</param>
    /// <returns>A new array of <c>ceil(n / factor)</c> samples.</returns>
    public static float[] Speed(float[] samples, double factor)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!double.IsFinite(factor) || factor < 0.001)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The speed factor must be at least 0.001.");
        int from = (int)Math.Round(factor * 1000);
        return Resampler.Resample(samples, from, 1000);
    }

    /// <summary>
    /// Vocal-tract-length perturbation: moves the formants (the spectral envelope) by <paramref name="factor"/> while
    /// the pitch and the timing stay, by warping each 32 ms short-time spectrum's all-pole (linear prediction) envelope.
    /// A factor above 1 sounds like a shorter vocal tract (formants up), below 1 like a longer one; 1 reconstructs the
    /// input up to rounding.
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="sampleRate">Its sample rate, in Hz.</param>
    /// <param name="factor">The formant frequency factor, in [0.5, 2].</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] ShiftFormants(float[] samples, int sampleRate, double factor)
    {
        CheckVoiceFactor(samples, sampleRate, factor, "formant");
        return FormantShifter.Shift(samples, sampleRate, factor);
    }

    /// <summary>
    /// Moves the pitch by <paramref name="factor"/> while the formants and the duration stay: a WSOLA time stretch by
    /// the factor, resampling back to the input's length, and a formant shift by 1 / factor (see
    /// <see cref="ShiftFormants"/>). A factor above 1 raises the voice.
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="sampleRate">Its sample rate, in Hz.</param>
    /// <param name="factor">The pitch factor, in [0.5, 2].</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] ShiftPitch(float[] samples, int sampleRate, double factor)
    {
        CheckVoiceFactor(samples, sampleRate, factor, "pitch");
        return PitchShifter.Shift(samples, sampleRate, factor);
    }

    private static void CheckVoiceFactor(float[] samples, int sampleRate, double factor, string what)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!double.IsFinite(factor) || factor < 0.5 || factor > 2)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"The {what} factor must be in [0.5, 2].");
    }

    /// <summary>
    /// A microphone's or a channel's frequency response: a low shelf below <paramref name="lowShelfHz"/>, a peaking
    /// band at <paramref name="peakHz"/> (Q = 1) and a high shelf above <paramref name="highShelfHz"/>, each a biquad of
    /// the "Audio EQ Cookbook" with the given gain; the result is rescaled to the input's RMS level, so only the
    /// spectral balance changes. Frequencies at or above the Nyquist frequency leave their band out.
    /// </summary>
    /// <param name="samples">The signal.</param>
    /// <param name="sampleRate">Its sample rate, in Hz.</param>
    /// <param name="lowShelfHz">The low shelf's corner frequency, in Hz.</param>
    /// <param name="lowShelfDb">The low shelf's gain, in dB.</param>
    /// <param name="peakHz">The peaking band's centre frequency, in Hz.</param>
    /// <param name="peakDb">The peaking band's gain, in dB.</param>
    /// <param name="highShelfHz">The high shelf's corner frequency, in Hz.</param>
    /// <param name="highShelfDb">The high shelf's gain, in dB.</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] Equalize(float[] samples, int sampleRate, double lowShelfHz, double lowShelfDb,
        double peakHz, double peakDb, double highShelfHz, double highShelfDb)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        CheckBand(lowShelfHz, lowShelfDb, nameof(lowShelfHz), nameof(lowShelfDb));
        CheckBand(peakHz, peakDb, nameof(peakHz), nameof(peakDb));
        CheckBand(highShelfHz, highShelfDb, nameof(highShelfHz), nameof(highShelfDb));

        var signal = new double[samples.Length];
        for (int i = 0; i < signal.Length; i++)
            signal[i] = samples[i];
        double nyquist = sampleRate / 2.0;
        if (lowShelfHz < nyquist)
            Biquad.LowShelf(lowShelfHz, lowShelfDb, sampleRate).Process(signal);
        if (peakHz < nyquist)
            Biquad.Peaking(peakHz, peakDb, 1, sampleRate).Process(signal);
        if (highShelfHz < nyquist)
            Biquad.HighShelf(highShelfHz, highShelfDb, sampleRate).Process(signal);

        return AtPowerOf(signal, samples);
    }

    private static void CheckBand(double frequency, double gainDb, string frequencyName, string gainName)
    {
        if (!(frequency > 0) || double.IsInfinity(frequency))
            throw new ArgumentOutOfRangeException(frequencyName, frequency, "Equaliser frequencies must be positive numbers of Hz.");
        if (!double.IsFinite(gainDb) || Math.Abs(gainDb) > 40)
            throw new ArgumentOutOfRangeException(gainName, gainDb, "Equaliser gains must be within ±40 dB.");
    }

    /// <summary>Scales by <paramref name="gainDb"/>, adds <paramref name="dcOffset"/>, and clips to [-1, 1].</summary>
    /// <param name="samples">The signal.</param>
    /// <param name="gainDb">The gain, in dB.</param>
    /// <param name="dcOffset">The constant added after the gain.</param>
    /// <returns>A new array of the input's length.</returns>
    public static float[] GainAndOffset(float[] samples, double gainDb, double dcOffset)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!double.IsFinite(gainDb))
            throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, "The gain must be finite.");
        if (!double.IsFinite(dcOffset))
            throw new ArgumentOutOfRangeException(nameof(dcOffset), dcOffset, "The DC offset must be finite.");
        double gain = Math.Pow(10, gainDb / 20);
        var result = new float[samples.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = (float)Math.Clamp(samples[i] * gain + dcOffset, -1, 1);
        return result;
    }

    /// <summary>The mean of the squares, in double precision (0 for an empty signal).</summary>
    internal static double MeanPower(ReadOnlySpan<float> samples)
    {
        if (samples.Length == 0)
            return 0;
        double sum = 0;
        foreach (float x in samples)
            sum += (double)x * x;
        return sum / samples.Length;
    }

    /// <summary>The mean of the squares (0 for an empty signal).</summary>
    private static double MeanPower(ReadOnlySpan<double> samples)
    {
        if (samples.Length == 0)
            return 0;
        double sum = 0;
        foreach (double x in samples)
            sum += x * x;
        return sum / samples.Length;
    }

    /// <summary><paramref name="processed"/> scaled to the mean power of <paramref name="original"/> (silence when it has none), as floats.</summary>
    private static float[] AtPowerOf(double[] processed, float[] original)
    {
        double processedPower = MeanPower(processed);
        double scale = processedPower > 0 ? Math.Sqrt(MeanPower(original) / processedPower) : 0;
        var result = new float[processed.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = (float)(processed[i] * scale);
        return result;
    }

    /// <summary>signal + g · noise, with g setting the ratio of their mean powers to <paramref name="snrDb"/>.</summary>
    private static float[] Mix(float[] signal, double[] noise, double snrDb)
    {
        var result = (float[])signal.Clone();
        double signalPower = MeanPower(signal);
        double noisePower = MeanPower(noise);
        if (signalPower == 0 || noisePower == 0)
            return result;
        double gain = Math.Sqrt(signalPower / (noisePower * Math.Pow(10, snrDb / 10)));
        for (int i = 0; i < result.Length; i++)
            result[i] = (float)(signal[i] + gain * noise[i]);
        return result;
    }
}
