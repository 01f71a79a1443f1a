using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class ResamplerTests
{
    [Theory]
    [InlineData(44100)]
    [InlineData(22050)]
    [InlineData(8000)]
    [InlineData(48000)]
    [InlineData(11025)]
    public void Resample_1kHzSineTo16kHz_KeepsFrequencyAmplitudeAndPhase(int rate)
    {
        int n = rate / 2; // 0.5 s
        var input = Signals.Sine(n, 1000, rate, amplitude: 0.5, phase: 0.3);

        var output = Resampler.Resample(input, rate, 16000);

        Assert.Equal((int)Math.Ceiling(n * 16000.0 / rate), output.Length);
        // Away from the edges (where the input is taken as zero), the output is the same sine sampled at 16 kHz.
        var middle = output.AsSpan(1000, output.Length - 2000);
        var (amplitude, phase) = Signals.FitSine(middle, 1000, 16000);
        Assert.True(Math.Abs(amplitude - 0.5) < 0.0025, $"amplitude {amplitude}");
        double expectedPhase = 0.3 + 2 * Math.PI * 1000 * 1000 / 16000.0;
        double phaseError = Math.IEEERemainder(phase - expectedPhase, 2 * Math.PI);
        Assert.True(Math.Abs(phaseError) < 1e-3, $"phase error {phaseError}");
        var ideal = Signals.Sine(output.Length, 1000, 16000, amplitude: 0.5, phase: 0.3);
        for (int i = 1000; i < output.Length - 1000; i++)
            Assert.True(Math.Abs(output[i] - ideal[i]) < 1e-3, $"sample {i}: {output[i]} vs {ideal[i]}");
    }

    [Fact]
    public void Resample_10kHzToneFrom44100To16kHz_IsAttenuatedMoreThan60dB()
    {
        const int rate = 44100, n = 44100 / 2;
        var input = Signals.Sine(n, 10000, rate, amplitude: 0.9);

        var output = Resampler.Resample(input, rate, 16000);

        // 10 kHz would alias to 6 kHz; measure both the residual level and the 6 kHz alias, away from the edges.
        var middle = output.AsSpan(1000, output.Length - 2000);
        double rmsDb = 20 * Math.Log10(Signals.Rms(middle) / (0.9 / Math.Sqrt(2)));
        double aliasDb = 20 * Math.Log10(Signals.FitSine(middle, 6000, 16000).Amplitude / 0.9);
        Assert.True(rmsDb < -60, $"residual {rmsDb:F1} dB");
        Assert.True(aliasDb < -60, $"6 kHz alias {aliasDb:F1} dB");
    }

    [Fact]
    public void Resample_SameRate_ReturnsACopy()
    {
        float[] input = [0.1f, -0.2f, 0.3f];
        var output = Resampler.Resample(input, 16000, 16000);
        Assert.Equal(input, output);
        Assert.NotSame(input, output);
    }

    [Fact]
    public void Resample_EmptyInput_ReturnsEmpty()
    {
        Assert.Empty(Resampler.Resample([], 44100, 16000));
    }

    [Theory]
    [InlineData(44100, 44100, 16000, 16000)]
    [InlineData(1, 44100, 16000, 1)]
    [InlineData(441, 44100, 16000, 160)]
    [InlineData(442, 44100, 16000, 161)]
    [InlineData(1000, 8000, 16000, 2000)]
    [InlineData(1001, 48000, 16000, 334)]
    public void OutputLength_IsCeilingOfScaledLength(int n, int from, int to, int expected)
    {
        Assert.Equal(expected, Resampler.OutputLength(n, from, to));
    }

    [Fact]
    public void Process_CoprimeRatesComputedOnTheFly_MatchesTheStoredKernelPath()
    {
        // 16001 -> 16000 has 16000 phases, too many to store: kernels are computed per output sample.
        var input = Signals.Sine(3000, 1000, 16001, amplitude: 0.5);
        var output = new Resampler(16001, 16000).Process(input);
        Assert.Equal(Resampler.OutputLength(3000, 16001, 16000), output.Length);
        var (amplitude, _) = Signals.FitSine(output.AsSpan(800, output.Length - 1600), 1000, 16000);
        Assert.Equal(0.5, amplitude, 0.0025);
    }

    [Fact]
    public void Process_Upsampling_PassesDcWithUnitGain()
    {
        var input = Enumerable.Repeat(0.25f, 2000).ToArray();
        var output = new Resampler(8000, 16000).Process(input);
        for (int i = 500; i < 3500; i++)
            Assert.Equal(0.25f, output[i], 1e-5f);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(0, 16000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(16000, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(44100, 16000, rolloff: 1.5));
    }
}
