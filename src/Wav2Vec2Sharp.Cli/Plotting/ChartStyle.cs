using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Wav2Vec2Sharp.Plotting;

/// <summary>What the w2v charts share: series colours, a sans-serif font where one is installed, PNG output.</summary>
internal static class ChartStyle
{
    private static readonly string[] _sansFonts = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI"];
    private static readonly Lazy<string?> _sans = new(() =>
        _sansFonts.FirstOrDefault(name => SKTypeface.FromFamilyName(name) is { } face && face.FamilyName == name));
    private static readonly ScottPlot.Palettes.Category10 _palette = new();

    /// <summary>The colour of the <paramref name="index"/>-th series (Category10: blue, orange, green, …).</summary>
    public static Color Series(int index) => _palette.GetColor(index);

    /// <summary>A tick label: up to four significant digits, plain from 0.001 to 99999, otherwise <c>2e-5</c> style.</summary>
    public static string Number(double value)
    {
        if (value == 0 || !double.IsFinite(value))
            return value.ToString(CultureInfo.InvariantCulture);
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var unit = Math.Pow(10, exponent - 3); // keep four significant digits
        var rounded = Math.Round(value / unit) * unit;
        if (exponent is >= -3 and <= 4)
            return rounded.ToString("0.#######", CultureInfo.InvariantCulture);
        var mantissa = rounded / Math.Pow(10, exponent);
        return mantissa.ToString("0.###", CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the shared font to every text of <paramref name="plot"/>.</summary>
    public static void Apply(Plot plot)
    {
        if (_sans.Value is { } font)
            plot.Font.Set(font);
    }

    /// <summary>Shows "no data" in the middle of an empty plot.</summary>
    public static void MarkEmpty(Plot plot)
    {
        var note = plot.Add.Annotation("no data", Alignment.MiddleCenter);
        note.LabelFontSize = 18;
        note.LabelFontColor = Colors.Gray;
        note.LabelBackgroundColor = Colors.Transparent;
        note.LabelBorderColor = Colors.Transparent;
        note.LabelShadowColor = Colors.Transparent;
    }

    /// <summary>Atomically writes <paramref name="png"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, byte[] png) => AtomicFile.Write(path, (Stream stream) => stream.Write(png));
}
