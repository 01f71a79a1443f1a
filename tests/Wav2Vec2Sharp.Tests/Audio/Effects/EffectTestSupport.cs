using System.Numerics;
using Wav2Vec2Sharp.Audio.Effects;

namespace Wav2Vec2Sharp.Tests.Audio.Effects;

/// <summary>Measurements for the channel-effect tests.</summary>
internal static class EffectMeasures
{
    public static double Db(double powerRatio) => 10 * Math.Log10(powerRatio);

    public static double Power(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
            sum += (double)v * v;
        return sum / x.Length;
    }

    /// <summary>Energy of <paramref name="x"/> between two frequencies, from its FFT (zero-padded to a power of two).</summary>
    public static double BandEnergy(ReadOnlySpan<float> x, int sampleRate, double fromHz, double toHz)
    {
        int n = Fft.NextPowerOfTwo(x.Length);
        var spectrum = new Complex[n];
        for (int i = 0; i < x.Length; i++)
            spectrum[i] = x[i];
        Fft.Transform(spectrum, inverse: false);
        double energy = 0;
        for (int k = 1; k <= n / 2; k++)
        {
            double f = (double)k * sampleRate / n;
            if (f >= fromHz && f < toHz)
                energy += spectrum[k].Magnitude * spectrum[k].Magnitude;
        }
        return energy;
    }

    /// <summary>
    /// RT60 of an impulse response by Schroeder backward integration: a least-squares line through the decay curve
    /// between −5 and −25 dB (T20), extrapolated to 60 dB.
    /// </summary>
    public static double SchroederRt60(float[] ir, int sampleRate)
    {
        var curve = new double[ir.Length];
        double sum = 0;
        for (int i = ir.Length - 1; i >= 0; i--)
        {
            sum += (double)ir[i] * ir[i];
            curve[i] = sum;
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int count = 0;
        for (int i = 0; i < ir.Length; i++)
        {
            double db = 10 * Math.Log10(curve[i] / curve[0]);
            if (db > -5)
                continue;
            if (db < -25)
                break;
            double t = (double)i / sampleRate;
            sx += t; sy += db; sxx += t * t; sxy += t * db;
            count++;
        }
        double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
        return -60 / slope;
    }
}
