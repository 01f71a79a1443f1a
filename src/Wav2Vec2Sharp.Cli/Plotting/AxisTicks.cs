namespace Wav2Vec2Sharp.Plotting;

/// <summary>An axis range and the tick positions inside it, as produced by <see cref="NiceTicks"/>.</summary>
/// <param name="Min">Lower end of the axis (the first tick).</param>
/// <param name="Max">Upper end of the axis (the last tick).</param>
/// <param name="Values">Tick positions in increasing order, including <paramref name="Min"/> and <paramref name="Max"/>.</param>
/// <param name="IsLog">Whether the axis is logarithmic (base 10).</param>
public sealed record AxisTicks(double Min, double Max, IReadOnlyList<double> Values, bool IsLog)
{
    /// <summary>
    /// Maps <paramref name="value"/> to a position between <paramref name="from"/> (at <see cref="Min"/>) and
    /// <paramref name="to"/> (at <see cref="Max"/>); values outside the range extrapolate.
    /// </summary>
    public double Map(double value, double from, double to)
    {
        var t = IsLog
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
        return from + t * (to - from);
    }
}
