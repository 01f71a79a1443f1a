using System.Globalization;
using ScottPlot;

namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// A grouped bar chart with value labels drawn with ScottPlot, e.g. a WER table:
/// <c>new GroupedBarChart("WER") { YLabel = "WER (%)" }.Add("seen", "pretrained", 12.1).Add("seen", "from scratch", 30.4)</c>.
/// Categories run along the x axis in order of first use; each series gets a colour and a legend entry (unless it
/// is the single unnamed series). A non-finite value leaves an empty bar labelled "n/a".
/// </summary>
public sealed class GroupedBarChart
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 640;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 420;

    /// <summary>The share of a category's slot that its group of bars fills.</summary>
    internal const double GroupWidth = 0.8;

    private readonly List<string> _categories = [];
    private readonly List<string> _series = [];
    private readonly Dictionary<(int Category, int Series), double> _values = [];

    /// <summary>Creates an empty chart.</summary>
    public GroupedBarChart(string title)
    {
        Title = title ?? "";
    }

    /// <summary>The title above the chart.</summary>
    public string Title { get; }

    /// <summary>Label under the category axis.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label left of the value axis.</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Formats the value printed on each bar (default: up to three significant digits).</summary>
    public Func<double, string> ValueFormat { get; set; } = v => v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Sets the bar of <paramref name="series"/> in <paramref name="category"/> (replacing an earlier value).</summary>
    /// <returns>This chart, for chaining.</returns>
    public GroupedBarChart Add(string category, string series, double value)
    {
        _values[(IndexOf(_categories, category ?? ""), IndexOf(_series, series ?? ""))] = value;
        return this;
    }

    /// <summary>Sets the bar of <paramref name="category"/> in the single unnamed series.</summary>
    /// <returns>This chart, for chaining.</returns>
    public GroupedBarChart Add(string category, double value) => Add(category, "", value);

    /// <summary>The chart as a ScottPlot plot (bars centred on x = 0, 1, … per category).</summary>
    public Plot ToPlot()
    {
        var plot = new Plot();
        ChartStyle.Apply(plot);
        plot.Title(Title);
        plot.XLabel(XLabel);
        plot.YLabel(YLabel);
        if (_values.Count == 0)
        {
            plot.Axes.SetLimits(-0.5, 0.5, 0, 1);
            ChartStyle.MarkEmpty(plot);
            return plot;
        }

        var size = GroupWidth / _series.Count;
        var bars = new List<Bar>();
        foreach (var ((category, series), value) in _values.OrderBy(v => v.Key))
        {
            var finite = double.IsFinite(value);
            bars.Add(new Bar
            {
                Position = category - GroupWidth / 2 + (series + 0.5) * size,
                Value = finite ? value : 0,
                Size = size * 0.95,
                FillColor = ChartStyle.Series(series),
                LineWidth = 0,
                Label = finite ? ValueFormat(value) : "n/a",
            });
        }

        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. _categories.Select((name, i) => new Tick(i, name))]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Axes.SetLimitsX(-0.5, _categories.Count - 0.5);
        var values = _values.Values.Where(double.IsFinite).Append(0).ToList();
        var (lo, hi) = (values.Min(), values.Max());
        var span = hi > lo ? hi - lo : 1;
        plot.Axes.SetLimitsY(lo < 0 ? lo - 0.1 * span : 0, hi + 0.12 * span);

        if (_series.Count > 1 || _series[0].Length > 0)
        {
            for (var s = 0; s < _series.Count; s++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = _series[s], FillColor = ChartStyle.Series(s) });
            plot.ShowLegend(Edge.Bottom);
        }

        return plot;
    }

    /// <summary>The chart as PNG bytes of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public byte[] RenderPng(int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return ToPlot().GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Renders the chart and atomically writes it to <paramref name="path"/> as a PNG.</summary>
    public void Save(string path, int width = DefaultWidth, int height = DefaultHeight) => ChartStyle.Save(path, RenderPng(width, height));

    private static int IndexOf(List<string> names, string name)
    {
        var index = names.IndexOf(name);
        if (index >= 0)
            return index;
        names.Add(name);
        return names.Count - 1;
    }
}
