namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// Synthetic room impulse responses for <see cref="ChannelEffects.Reverberate"/>: a direct path of amplitude 1 at
/// sample 0, a few early reflections (2–40 ms) and a diffuse tail of Gaussian noise under an exponential envelope whose
/// energy falls 60 dB in RT60 seconds; the reflections and the tail together are scaled to the requested
/// direct-to-reverberant energy ratio.
/// </summary>
internal static class RoomImpulseResponse
{
    /// <summary>The longest impulse response built, in seconds: the response is cut at min(RT60, this).</summary>
    public const double MaxSeconds = 0.6;

    /// <summary>Builds an impulse response; the draws come from <paramref name="random"/> in a fixed order.</summary>
    /// <param name="sampleRate">The sample rate, in Hz.</param>
    /// <param name="rt60Seconds">The time for the tail's energy to fall by 60 dB.</param>
    /// <param name="directToReverberantDb">The energy of the direct path over that of everything after it, in dB.</param>
    /// <param name="random">The source of the reflections and the tail.</param>
    /// <returns><c>round(min(RT60, 0.6 s) · rate)</c> samples (at least 1), the direct path at index 0.</returns>
    public static float[] Build(int sampleRate, double rt60Seconds, double directToReverberantDb, Random random)
    {
        int length = Math.Max(1, (int)Math.Round(Math.Min(rt60Seconds, MaxSeconds) * sampleRate));
        // Amplitude envelope exp(-k n): energy exp(-2 k n) is 10^-6 at n = RT60 · rate.
        double k = 3 * Math.Log(10) / (rt60Seconds * sampleRate);
        var reverberant = new double[length];
        var noise = Noise.Gaussian(length, random);
        for (int n = 1; n < length; n++)
            reverberant[n] = noise[n] * Math.Exp(-k * n);

        int reflections = random.Next(4, 8);
        for (int r = 0; r < reflections; r++)
        {
            int delay = (int)Math.Round((0.002 + 0.038 * random.NextDouble()) * sampleRate);
            double amplitude = (2 + 4 * random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1);
            if (delay >= 1 && delay < length)
                reverberant[delay] += amplitude * Math.Exp(-k * delay);
        }

        var ir = new float[length];
        ir[0] = 1;
        double energy = 0;
        foreach (double x in reverberant)
            energy += x * x;
        if (energy > 0)
        {
            double scale = Math.Sqrt(Math.Pow(10, -directToReverberantDb / 10) / energy);
            for (int n = 1; n < length; n++)
                ir[n] = (float)(reverberant[n] * scale);
        }
        return ir;
    }
}
