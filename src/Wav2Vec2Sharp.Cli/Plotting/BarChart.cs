namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// A grouped bar chart with value labels, e.g. a WER table:
/// <c>new BarChart("WER") { YLabel = "WER (%)" }.Add("seen", "pretrained", 12.1).Add("seen", "from scratch", 30.4)</c>.
/// Categories run along the x axis in order of first use; each series gets a colour and a legend entry (unless it
/// is the single unnamed series). Non-finite values leave a gap labelled "n/a".
/// </summary>
public sealed class BarChart : IChart
{
    private readonly List<string> _categories = [];
    private readonly List<string> _series = [];
    private readonly Dictionary<(int Category, int Series), double> _values = [];

    /// <summary>Creates an empty chart.</summary>
    public BarChart(string title)
    {
        Title = title ?? "";
    }

    /// <inheritdoc />
    public string Title { get; }

    /// <summary>Label under the category axis.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label left of the value axis (drawn vertically).</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Formats the value printed on each bar (default <see cref="NumberFormat.Compact"/>).</summary>
    public Func<double, string> ValueFormat { get; set; } = NumberFormat.Compact;

    /// <summary>Sets the bar of <paramref name="series"/> in <paramref name="category"/> (replacing an earlier value).</summary>
    /// <returns>This chart, for chaining.</returns>
    public BarChart Add(string category, string series, double value)
    {
        _values[(IndexOf(_categories, category ?? ""), IndexOf(_series, series ?? ""))] = value;
        return this;
    }

    /// <summary>Sets the bar of <paramref name="category"/> in the single unnamed series.</summary>
    /// <returns>This chart, for chaining.</returns>
    public BarChart Add(string category, double value) => Add(category, "", value);

    /// <inheritdoc />
    public void Draw(Canvas canvas, PixelRect area)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        canvas.DrawClipped(area, () => Render(canvas, area));
    }

    private void Render(Canvas canvas, PixelRect area)
    {
        var finite = _values.Values.Where(double.IsFinite).ToList();
        var lo = Math.Min(0, finite.DefaultIfEmpty(0).Min());
        var hi = Math.Max(0, finite.DefaultIfEmpty(0).Max());
        if (hi == lo)
            hi = lo + 1;
        var entries = _series.Select((name, i) => new LegendEntry(name, Palette.Series(i), LegendSwatch.Box))
            .Where(e => _series.Count > 1 || e.Name.Length > 0).ToList();
        var scale = ChartFrame.ScaleFor(area);

        // Leave room above the bars for their value labels and the legend (top-right), then lay out again with
        // the final tick labels.
        var (frame, ticks, labels) = Layout(area, lo, hi + (hi - lo) * 0.1);
        var reserved = (BitmapFont.CellHeight + 6) * scale + (entries.Count > 0 ? Legend.Measure(entries, scale).Height + 8 * scale : 0);
        var fraction = Math.Min(0.6, reserved / (double)Math.Max(1, frame.Plot.Height));
        (frame, ticks, labels) = Layout(area, lo, lo + (hi - lo) / (1 - fraction));

        double MapY(double v) => ticks.Map(v, frame.Plot.Bottom - 1, frame.Plot.Y);
        var rows = ticks.Values.Select(v => ChartFrame.Pixel(MapY(v))).ToList();
        frame.DrawBackground(canvas);
        frame.DrawYGrid(canvas, rows);
        frame.DrawFrame(canvas);

        var slot = (frame.Plot.Width - 2) / (double)Math.Max(1, _categories.Count);
        var group = slot * (_series.Count == 1 ? 0.55 : 0.75);
        var bar = group / Math.Max(1, _series.Count);
        var gap = bar >= 12 ? 2 : 0;
        var zero = ChartFrame.Pixel(MapY(0));
        var centres = new List<int>();
        for (var c = 0; c < _categories.Count; c++)
        {
            var centre = frame.Plot.X + 1 + slot * (c + 0.5);
            centres.Add(ChartFrame.Pixel(centre));
            for (var s = 0; s < _series.Count; s++)
            {
                if (!_values.TryGetValue((c, s), out var value))
                    continue;
                var x0 = ChartFrame.Pixel(centre - group / 2 + s * bar) + gap / 2;
                var x1 = ChartFrame.Pixel(centre - group / 2 + (s + 1) * bar) - (gap - gap / 2);
                DrawBar(canvas, frame, x0, x1, zero, value, MapY, Palette.Series(s));
            }
        }

        frame.DrawXTicks(canvas, centres, _categories, marks: false);
        frame.DrawYTicks(canvas, rows, labels);
        frame.DrawLabels(canvas);
        if (_values.Count == 0)
            frame.DrawNoData(canvas);
        if (entries.Count > 0)
        {
            var size = Legend.Measure(entries, scale);
            Legend.Draw(canvas, Legend.Place(frame.Plot, size, scale, _ => 0), entries, scale);
        }
    }

    private void DrawBar(Canvas canvas, ChartFrame frame, int x0, int x1, int zero, double value, Func<double, double> mapY, Rgb color)
    {
        var scale = frame.Scale;
        var text = double.IsFinite(value) ? ValueFormat(value) : "n/a";
        var textWidth = BitmapFont.MeasureWidth(text, scale);
        var textX = (x0 + x1 + 1 - textWidth) / 2;
        if (!double.IsFinite(value))
        {
            canvas.DrawText(textX, zero - (BitmapFont.CapHeight + 4) * scale, text, Palette.Axis, scale);
            return;
        }

        var top = ChartFrame.Pixel(mapY(value));
        var (y0, y1) = top <= zero ? (top, zero) : (zero, top);
        var saved = canvas.Clip;
        canvas.Clip = saved.Intersect(frame.Plot.Inset(1));
        canvas.FillRect(x0, y0, Math.Max(1, x1 - x0), y1 - y0 + 1, color);
        canvas.Clip = saved;
        var textY = value >= 0 ? y0 - (BitmapFont.CapHeight + 4) * scale : y1 + 4 * scale;
        canvas.DrawText(textX, textY, text, Palette.Text, scale);
    }

    private (ChartFrame Frame, AxisTicks Ticks, IReadOnlyList<string> Labels) Layout(PixelRect area, double lo, double hi)
    {
        var scale = ChartFrame.ScaleFor(area);
        var ticks = NiceTicks.Linear(lo, hi, Math.Clamp(area.Height / scale / 60, 2, 10));
        var labels = NumberFormat.FormatTicks(ticks.Values);
        var frame = ChartFrame.Create(area, Title, XLabel, YLabel, labels, _categories.Count > 0 ? _categories[^1] : "");
        return (frame, ticks, labels);
    }

    private static int IndexOf(List<string> names, string name)
    {
        var index = names.IndexOf(name);
        if (index >= 0)
            return index;
        names.Add(name);
        return names.Count - 1;
    }
}
