using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class NiceTicksTests
{
    public static TheoryData<double, double, double[]> LinearCases => new()
    {
        { 0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1] },
        { 3.2, 47, [0, 10, 20, 30, 40, 50] },
        { 2.1, 6.5, [2, 3, 4, 5, 6, 7] },
        { -0.3, 0.7, [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8] },
        { 0, 5e-4, [0, 1e-4, 2e-4, 3e-4, 4e-4, 5e-4] },
        { 0, 20000, [0, 5000, 10000, 15000, 20000] },
        { 47, 3.2, [0, 10, 20, 30, 40, 50] },
        { 5, 5, [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6] },
        { 0, 0, [-1, -0.5, 0, 0.5, 1] },
    };

    public static TheoryData<double, double, double[]> LogCases => new()
    {
        { 20, 80, [20, 50, 100] },
        { 3, 7, [2, 5, 10] },
        { 0.5, 2000, [0.1, 1, 10, 100, 1000, 10000] },
        { 1e-6, 1e6, [1e-6, 1e-4, 1e-2, 1, 100, 1e4, 1e6] },
        { 100, 100, [50, 100, 200] },
    };

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_GivesExactNiceTicks(double min, double max, double[] expected)
    {
        var ticks = NiceTicks.Linear(min, max);

        Assert.Equal(expected, ticks.Values);
        Assert.Equal(expected[0], ticks.Min);
        Assert.Equal(expected[^1], ticks.Max);
        Assert.False(ticks.IsLog);
    }

    [Fact]
    public void Linear_RespectsTheIntervalBudget()
    {
        Assert.Equal([0, 0.5, 1], NiceTicks.Linear(0, 1, maxIntervals: 2).Values);
        Assert.Equal([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], NiceTicks.Linear(0, 1, maxIntervals: 10).Values);
    }

    [Theory]
    [MemberData(nameof(LogCases))]
    public void Log_GivesExactNiceTicks(double min, double max, double[] expected)
    {
        var ticks = NiceTicks.Log(min, max);

        Assert.Equal(expected, ticks.Values);
        Assert.True(ticks.IsLog);
    }

    [Fact]
    public void InvalidRanges_Throw()
    {
        Assert.Throws<ArgumentException>(() => NiceTicks.Linear(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => NiceTicks.Linear(0, double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => NiceTicks.Log(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Linear(0, 1, maxIntervals: 0));
    }

    [Fact]
    public void Map_IsLinearOrLogarithmic()
    {
        Assert.Equal(150, NiceTicks.Linear(0, 1).Map(0.25, 100, 300));
        Assert.Equal(100, NiceTicks.Linear(0, 1).Map(1, 300, 100), 9);
        Assert.Equal(200, NiceTicks.Log(1, 100).Map(10, 100, 300), 9);
    }
}
