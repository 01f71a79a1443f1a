using System.Globalization;

namespace Wav2Vec2Sharp.Plotting;

/// <summary>Short, culture-invariant number labels for axes and bars: 0.5, 10, 2.5k, 1.2M, 1e-4.</summary>
public static class NumberFormat
{
    private const int DefaultDigits = 4;
    private const int MaxDigits = 15;

    private static readonly (double Scale, string Suffix)[] _suffixes = [(1e9, "G"), (1e6, "M"), (1e3, "k")];

    /// <summary>
    /// Formats <paramref name="value"/> with up to four significant digits: magnitudes from 1e-3 up to 1000 print plainly
    /// (0.5, 12.5, 0.0125), thousands, millions and billions get k, M and G suffixes (2.5k, 1.2M), and anything
    /// smaller than 1e-3 or from 1e12 up uses a short exponent (1e-4, 2.5e-5, 3e12).
    /// </summary>
    public static string Compact(double value) => Format(value, DefaultDigits);

    /// <summary>
    /// Labels for a set of ticks, consistent across the axis: when any tick needs an exponent (below 1e-3), every
    /// non-zero tick below 1 in magnitude gets one too (0, 5e-4, 1e-3, 1.5e-3 rather than 0, 5e-4, 0.001, 0.0015);
    /// digits are added until all labels differ.
    /// </summary>
    public static IReadOnlyList<string> FormatTicks(IReadOnlyList<double> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        var scientific = ticks.Any(t => t != 0 && Math.Abs(t) < 1e-3);
        string[] labels = [];
        for (var digits = DefaultDigits; digits <= MaxDigits; digits++)
        {
            labels = [.. ticks.Select(t => scientific && t != 0 && Math.Abs(t) < 1 ? Scientific(t, digits) : Format(t, digits))];
            if (labels.Distinct(StringComparer.Ordinal).Count() == labels.Length)
                break;
        }

        return labels;
    }

    private static string Format(double value, int digits)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";
        if (value == 0)
            return "0";
        var magnitude = Math.Abs(Round(value, digits));
        if (magnitude >= 1e12 || magnitude < 1e-3)
            return Scientific(value, digits);
        foreach (var (scale, suffix) in _suffixes)
        {
            if (magnitude >= scale)
                return Plain(value / scale, digits) + suffix;
        }

        return Plain(value, digits);
    }

    private static string Scientific(double value, int digits)
    {
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var mantissa = Round(value / Math.Pow(10, exponent), digits);
        if (Math.Abs(mantissa) >= 10)
        {
            exponent++;
            mantissa = Round(value / Math.Pow(10, exponent), digits);
        }

        return Plain(mantissa, digits) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    private static string Plain(double value, int digits)
    {
        var text = Round(value, digits).ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>Rounds to <paramref name="digits"/> significant digits.</summary>
    private static double Round(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value))
            return value;
        return double.Parse(value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            CultureInfo.InvariantCulture);
    }
}
