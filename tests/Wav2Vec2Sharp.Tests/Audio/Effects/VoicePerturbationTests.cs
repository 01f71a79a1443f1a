using System.Numerics;
using Wav2Vec2Sharp.Audio.Effects;

namespace Wav2Vec2Sharp.Tests.Audio.Effects;

public sealed class VoicePerturbationTests
{
    private const int Rate = 16000;
    private const int PitchPeriod = 160;     // 100 Hz

    [Fact]
    public void FactorOne_ReconstructsTheInput()
    {
        var vowel = Vowel(formantHz: 1000);

        var output = ChannelEffects.ShiftFormants(vowel, Rate, 1.0);

        Assert.Equal(vowel.Length, output.Length);
        Assert.True(vowel.Zip(output).Max(p => Math.Abs(p.First - p.Second)) < 1e-5);
    }

    [Theory]
    [InlineData(1.2, 1200)]
    [InlineData(0.8, 800)]
    public void Formant_MovesByTheFactor_PitchAndLengthStay(double factor, int expectedPeakHz)
    {
        var vowel = Vowel(formantHz: 1000);
        Assert.Equal(1000, StrongestHarmonicHz(vowel));

        var shifted = ChannelEffects.ShiftFormants(vowel, Rate, factor);

        Assert.Equal(vowel.Length, shifted.Length);
        Assert.Equal(expectedPeakHz, StrongestHarmonicHz(shifted));
        Assert.Equal(PitchPeriod, AutocorrelationPeakLag(shifted, minLag: 80, maxLag: 240));
        Assert.InRange(EffectMeasures.Db(EffectMeasures.Power(shifted) / EffectMeasures.Power(vowel)), -6, 6);
    }

    [Theory]
    [InlineData(1.25, 128)]
    [InlineData(0.8, 200)]
    public void Pitch_MovesByTheFactor_FormantAndLengthStay(double factor, int expectedPeriod)
    {
        var vowel = Vowel(formantHz: 1000);

        var shifted = ChannelEffects.ShiftPitch(vowel, Rate, factor);

        Assert.Equal(vowel.Length, shifted.Length);
        Assert.Equal(expectedPeriod, AutocorrelationPeakLag(shifted, minLag: 80, maxLag: 240));
        Assert.InRange(StrongestHarmonicHz(shifted, (int)Math.Round(100 * factor)), 950, 1050);
        Assert.InRange(EffectMeasures.Db(EffectMeasures.Power(shifted) / EffectMeasures.Power(vowel)), -6, 6);
    }

    [Fact]
    public void Stretch_KeepsThePitchAndScalesTheLength()
    {
        var vowel = Vowel(formantHz: 1000);

        var longer = PitchShifter.Stretch(vowel, Rate, 1.3);

        Assert.Equal((int)Math.Ceiling(vowel.Length * 1.3), longer.Length);
        Assert.Equal(PitchPeriod, AutocorrelationPeakLag(longer, minLag: 80, maxLag: 240));
    }

    [Theory]
    [InlineData(0.49)]
    [InlineData(2.01)]
    [InlineData(double.NaN)]
    public void FactorOutOfRange_IsRefused(double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelEffects.ShiftFormants(new float[100], Rate, factor));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelEffects.ShiftPitch(new float[100], Rate, factor));
    }

    /// <summary>A 100 Hz pulse train through one resonance (bandwidth 80 Hz), 1.2 s, peak 0.3.</summary>
    private static float[] Vowel(double formantHz)
    {
        int n = (int)(1.2 * Rate);
        double r = Math.Exp(-Math.PI * 80 / Rate);
        double a1 = 2 * r * Math.Cos(2 * Math.PI * formantHz / Rate), a2 = -r * r;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = i % PitchPeriod == 0 ? 1 : 0;
            y[i] = x + a1 * (i >= 1 ? y[i - 1] : 0) + a2 * (i >= 2 ? y[i - 2] : 0);
        }
        double peak = y.Max(Math.Abs);
        return [.. y.Select(v => (float)(0.3 * v / peak))];
    }

    /// <summary>The multiple of <paramref name="f0"/> (2nd to 30th harmonic) whose spectral peak is largest, over the middle second.</summary>
    private static int StrongestHarmonicHz(float[] x, int f0 = 100)
    {
        const int size = 16384;
        var spectrum = new Complex[size];
        int offset = (x.Length - Rate) / 2;
        for (int i = 0; i < Rate; i++)
            spectrum[i] = x[offset + i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / Rate));
        Fft.Transform(spectrum, inverse: false);
        int best = 0;
        double bestMagnitude = 0;
        for (int harmonic = 2; harmonic <= 30; harmonic++)
        {
            int bin = (int)Math.Round(harmonic * (double)f0 * size / Rate);
            double magnitude = Enumerable.Range(bin - 3, 7).Max(k => spectrum[k].Magnitude);
            if (magnitude > bestMagnitude)
                (best, bestMagnitude) = (harmonic * f0, magnitude);
        }
        return best;
    }

    private static int AutocorrelationPeakLag(float[] x, int minLag, int maxLag)
    {
        int best = minLag;
        double bestValue = double.NegativeInfinity;
        for (int lag = minLag; lag <= maxLag; lag++)
        {
            double sum = 0;
            for (int i = 0; i + lag < x.Length; i++)
                sum += (double)x[i] * x[i + lag];
            if (sum > bestValue)
                (best, bestValue) = (lag, sum);
        }
        return best;
    }
}
