using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class NumberFormatTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.5, "0.5")]
    [InlineData(10, "10")]
    [InlineData(12.5, "12.5")]
    [InlineData(0.0125, "0.0125")]
    [InlineData(2500, "2.5k")]
    [InlineData(-2500, "-2.5k")]
    [InlineData(1e6, "1M")]
    [InlineData(999999, "1M")]
    [InlineData(1.5e9, "1.5G")]
    [InlineData(3e12, "3e12")]
    [InlineData(1e-4, "1e-4")]
    [InlineData(2.5e-5, "2.5e-5")]
    [InlineData(0.30000000000000004, "0.3")]
    [InlineData(1.0 / 3, "0.3333")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Compact_FormatsShortly(double value, string expected) =>
        Assert.Equal(expected, NumberFormat.Compact(value));

    [Fact]
    public void FormatTicks_UsesExponentsForAnAxisOfSmallValues() =>
        Assert.Equal(["0", "2e-4", "4e-4", "6e-4", "8e-4", "1e-3"], NumberFormat.FormatTicks([0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3]));

    [Fact]
    public void FormatTicks_UsesExponentsConsistentlyOnALogAxis() =>
        Assert.Equal(["1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1", "10"], NumberFormat.FormatTicks([1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10]));

    [Fact]
    public void FormatTicks_KeepsPlainLabelsWhenNoTickNeedsAnExponent() =>
        Assert.Equal(["0", "0.002", "0.004", "0.006", "0.008", "0.01"], NumberFormat.FormatTicks([0, 0.002, 0.004, 0.006, 0.008, 0.01]));

    [Fact]
    public void FormatTicks_UsesSuffixesForLargeValues() =>
        Assert.Equal(["0", "5k", "10k", "15k"], NumberFormat.FormatTicks([0, 5000, 10000, 15000]));

    [Fact]
    public void FormatTicks_AddsDigitsUntilLabelsDiffer() =>
        Assert.Equal(["10k", "10.001k", "10.002k"], NumberFormat.FormatTicks([10000, 10001, 10002]));

    [Fact]
    public void FormatTicks_KeepsPlainDecimals() =>
        Assert.Equal(["-0.4", "-0.2", "0", "0.2", "0.4"], NumberFormat.FormatTicks([-0.4, -0.2, 0, 0.2, 0.4]));
}
