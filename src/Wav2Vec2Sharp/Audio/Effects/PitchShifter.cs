namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// Pitch shifting that keeps the formants and the duration: the signal is stretched in time by the factor with WSOLA
/// (waveform-similarity overlap-add, which keeps the pitch), resampled back to its length (which scales pitch and
/// formants by the factor), and its formants are moved back by the inverse factor with <see cref="FormantShifter"/>.
/// </summary>
/// <remarks>
/// WSOLA: 40 ms Hann frames written every 20 ms (the windows sum to one), each read from near its nominal input position
/// (output position / factor), at the offset within ±10 ms whose samples best continue the previous frame (largest
/// cross-correlation with the input that followed the previous frame's read position).
/// </remarks>
internal static class PitchShifter
{
    public static float[] Shift(float[] samples, int sampleRate, double factor)
    {
        if (samples.Length == 0)
            return [];
        float[] back = ChannelEffects.Speed(Stretch(samples, sampleRate, factor), factor);
        var sameLength = new float[samples.Length];
        Array.Copy(back, sameLength, Math.Min(back.Length, sameLength.Length));
        return FormantShifter.Shift(sameLength, sampleRate, 1 / factor);
    }

    /// <summary>The signal made <paramref name="factor"/> times longer, at the same pitch (WSOLA).</summary>
    internal static float[] Stretch(float[] samples, int sampleRate, double factor)
    {
        int frame = 2 * (int)Math.Round(0.02 * sampleRate);
        int hop = frame / 2;
        int tolerance = (int)Math.Round(0.01 * sampleRate);
        var window = new double[frame];
        for (int i = 0; i < frame; i++)
            window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / frame);

        int outputLength = (int)Math.Ceiling(samples.Length * factor);
        var output = new double[outputLength + frame];
        int previousRead = 0;
        for (int k = 0; k * hop < outputLength; k++)
        {
            int read = k == 0 ? 0 : BestOffset(samples, previousRead + hop, (int)Math.Round(k * hop / factor), tolerance, frame);
            for (int i = 0; i < frame; i++)
            {
                int t = read + i;
                if (t >= 0 && t < samples.Length)
                    output[k * hop + i] += samples[t] * window[i];
            }
            previousRead = read;
        }
        var result = new float[outputLength];
        for (int i = 0; i < outputLength; i++)
            result[i] = (float)output[i];
        return result;
    }

    /// <summary>
    /// The read position within <paramref name="tolerance"/> of <paramref name="nominal"/> whose frame correlates best
    /// with the natural continuation at <paramref name="continuation"/>.
    /// </summary>
    private static int BestOffset(float[] samples, int continuation, int nominal, int tolerance, int frame)
    {
        int best = nominal;
        double bestScore = double.NegativeInfinity;
        for (int candidate = Math.Max(0, nominal - tolerance); candidate <= nominal + tolerance; candidate++)
        {
            double score = 0;
            for (int i = 0; i < frame; i++)
            {
                int a = candidate + i, b = continuation + i;
                if (a >= samples.Length || b >= samples.Length)
                    break;
                if (b >= 0)
                    score += (double)samples[a] * samples[b];
            }
            if (score > bestScore)
                (best, bestScore) = (candidate, score);
        }
        return best;
    }
}
