using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Tests.Audio;

public sealed class WaveformNormalizerTests
{
    [Fact]
    public void ZeroMeanUnitVariance_KnownValues_MatchHuggingFaceFormula()
    {
        float[] x = [1f, 2f, 3f, 4f];
        // mean 2.5, population variance 1.25
        double std = Math.Sqrt(1.25 + 1e-7);
        var expected = x.Select(v => (float)((v - 2.5) / std)).ToArray();

        Assert.Equal(expected, WaveformNormalizer.ZeroMeanUnitVariance(x));
    }

    [Fact]
    public void ZeroMeanUnitVariance_Result_HasZeroMeanAndUnitPopulationVariance()
    {
        var x = Signals.Sine(16000, 440, 16000, amplitude: 0.3).Select(v => v + 0.1f).ToArray();
        var y = WaveformNormalizer.ZeroMeanUnitVariance(x);

        double mean = y.Average(v => (double)v);
        double variance = y.Average(v => ((double)v - mean) * ((double)v - mean));
        Assert.Equal(0, mean, 1e-6);
        Assert.Equal(1, variance, 1e-5);
    }

    [Fact]
    public void ZeroMeanUnitVariance_ConstantInput_IsAllZeros()
    {
        var y = WaveformNormalizer.ZeroMeanUnitVariance([0.5f, 0.5f, 0.5f]);
        Assert.Equal([0f, 0f, 0f], y);
    }

    [Fact]
    public void ZeroMeanUnitVariance_TinySignal_IsLimitedByEpsilon()
    {
        // variance 1e-10 << 1e-7: the result is x / sqrt(1e-7 + 1e-10), not unit variance.
        float[] x = [1e-5f, -1e-5f];
        var y = WaveformNormalizer.ZeroMeanUnitVariance(x);
        double expected = 1e-5f / Math.Sqrt((double)1e-5f * 1e-5f + 1e-7);
        Assert.Equal((float)expected, y[0]);
        Assert.Equal((float)-expected, y[1]);
    }

    [Fact]
    public void ZeroMeanUnitVariance_Empty_ReturnsEmpty()
    {
        Assert.Empty(WaveformNormalizer.ZeroMeanUnitVariance([]));
    }
}
