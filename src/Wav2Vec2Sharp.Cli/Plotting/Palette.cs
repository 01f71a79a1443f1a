namespace Wav2Vec2Sharp.Plotting;

/// <summary>Colours used by the charts: a qualitative series palette (Tableau 10) and the neutral frame colours.</summary>
public static class Palette
{
    private static readonly Rgb[] _series =
    [
        Rgb.FromHex("#1f77b4"), Rgb.FromHex("#ff7f0e"), Rgb.FromHex("#2ca02c"), Rgb.FromHex("#d62728"),
        Rgb.FromHex("#9467bd"), Rgb.FromHex("#8c564b"), Rgb.FromHex("#e377c2"), Rgb.FromHex("#7f7f7f"),
        Rgb.FromHex("#bcbd22"), Rgb.FromHex("#17becf"),
    ];

    /// <summary>Number of distinct series colours before the palette repeats.</summary>
    public static int Count => _series.Length;

    /// <summary>The colour of the <paramref name="index"/>-th series (cycles after <see cref="Count"/>).</summary>
    public static Rgb Series(int index) => _series[((index % _series.Length) + _series.Length) % _series.Length];

    /// <summary>Background of the whole image.</summary>
    public static Rgb Background => Rgb.White;

    /// <summary>Titles.</summary>
    public static Rgb Title => new(0x20, 0x20, 0x20);

    /// <summary>Axis labels, tick labels and legend text.</summary>
    public static Rgb Text => new(0x40, 0x40, 0x40);

    /// <summary>The plot frame and tick marks.</summary>
    public static Rgb Axis => new(0x60, 0x60, 0x60);

    /// <summary>Grid lines behind the data.</summary>
    public static Rgb Grid => new(0xe6, 0xe6, 0xe6);

    /// <summary>Legend border.</summary>
    public static Rgb LegendBorder => new(0xc8, 0xc8, 0xc8);
}
