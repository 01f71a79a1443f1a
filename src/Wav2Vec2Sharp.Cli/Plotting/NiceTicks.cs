namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// "Nice" axis ranges: tick steps of 1, 2 or 5 times a power of ten, with the range widened to whole steps.
/// For example [0, 1] gives 0, 0.2, ..., 1 and [3.2, 47] gives 0, 10, ..., 50.
/// </summary>
public static class NiceTicks
{
    /// <summary>Default upper bound on the number of intervals between ticks.</summary>
    public const int DefaultIntervals = 5;

    private const double Tolerance = 1e-9;

    private static readonly double[] _powersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// Linear ticks covering [<paramref name="min"/>, <paramref name="max"/>]: the step is the smallest of 1, 2, 5 x 10^k
    /// giving at most <paramref name="maxIntervals"/> intervals over the data span, and the axis runs from the last
    /// multiple of the step at or below <paramref name="min"/> to the first at or above <paramref name="max"/>
    /// (so one more interval may appear). Equal ends are widened by 10% of their magnitude (or to [-1, 1] at zero).
    /// </summary>
    /// <exception cref="ArgumentException">An end is not finite, or the span overflows.</exception>
    public static AxisTicks Linear(double min, double max, int maxIntervals = DefaultIntervals)
    {
        RequireFinite(min, max);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIntervals);
        if (min > max)
            (min, max) = (max, min);
        if (max - min <= Math.Max(Math.Abs(min), Math.Abs(max)) * 1e-12)
        {
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }

        if (!double.IsFinite(max - min))
            throw new ArgumentException($"The axis range [{min}, {max}] is too wide.");
        var (mantissa, exponent) = NiceStep((max - min) / maxIntervals);
        var step = Multiple(mantissa, exponent);
        var first = (long)Math.Floor(min / step + Tolerance);
        var last = (long)Math.Ceiling(max / step - Tolerance);
        var values = new List<double>();
        for (var k = first; k <= last; k++)
            values.Add(Multiple(k * mantissa, exponent));
        return new AxisTicks(values[0], values[^1], values, IsLog: false);
    }

    /// <summary>
    /// Base-10 logarithmic ticks covering [<paramref name="min"/>, <paramref name="max"/>] (both positive). Up to two
    /// decades use 1, 2, 5 x 10^k ticks and the axis is trimmed to the nearest such values around the data
    /// ([20, 80] gives 20, 50, 100); up to eight decades use every power of ten; wider ranges use every n-th power.
    /// </summary>
    /// <exception cref="ArgumentException">An end is not finite or not positive.</exception>
    public static AxisTicks Log(double min, double max)
    {
        RequireFinite(min, max);
        if (min > max)
            (min, max) = (max, min);
        if (min <= 0)
            throw new ArgumentException($"A logarithmic axis needs positive values, got {min}.", nameof(min));
        if (max <= min * (1 + 1e-12))
            (min, max) = (min / 2, max * 2);

        var lo = (int)Math.Floor(Math.Log10(min) + Tolerance);
        var hi = (int)Math.Ceiling(Math.Log10(max) - Tolerance);
        if (hi <= lo)
            hi = lo + 1;
        var values = new List<double>();
        if (hi - lo <= 2)
        {
            var candidates = new List<double>();
            for (var e = lo; e < hi; e++)
                candidates.AddRange([Multiple(1, e), Multiple(2, e), Multiple(5, e)]);
            candidates.Add(Multiple(1, hi));
            var start = candidates.FindLastIndex(c => c <= min * (1 + Tolerance));
            var end = candidates.FindIndex(c => c >= max * (1 - Tolerance));
            values.AddRange(candidates.GetRange(start, end - start + 1));
        }
        else
        {
            var step = hi - lo <= 8 ? 1 : (int)Math.Ceiling((hi - lo) / 6.0);
            lo = (int)Math.Floor(lo / (double)step) * step;
            hi = (int)Math.Ceiling(hi / (double)step) * step;
            for (var e = lo; e <= hi; e += step)
                values.Add(Multiple(1, e));
        }

        return new AxisTicks(values[0], values[^1], values, IsLog: true);
    }

    /// <summary>The step 1, 2 or 5 x 10^exponent: the smallest one not below <paramref name="rough"/>.</summary>
    private static (int Mantissa, int Exponent) NiceStep(double rough)
    {
        var exponent = (int)Math.Floor(Math.Log10(rough));
        var fraction = exponent >= 0 ? rough / Pow10(exponent) : rough * Pow10(-exponent);
        foreach (var m in (ReadOnlySpan<int>)[1, 2, 5])
        {
            if (fraction <= m * (1 + Tolerance))
                return (m, exponent);
        }

        return (1, exponent + 1);
    }

    /// <summary><paramref name="k"/> x 10^<paramref name="exponent"/>, rounded once so that 3 x 0.2 is exactly 0.6.</summary>
    private static double Multiple(long k, int exponent)
    {
        var value = exponent >= 0 ? k * Pow10(exponent) : k / Pow10(-exponent);
        return value == 0 ? 0 : value; // no negative zero
    }

    private static double Pow10(int exponent) =>
        exponent >= 0 && exponent < _powersOfTen.Length ? _powersOfTen[exponent] : Math.Pow(10, exponent);

    private static void RequireFinite(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"Axis ends must be finite, got [{min}, {max}].");
    }
}
