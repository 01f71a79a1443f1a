namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// A line chart of named (x, y) series, e.g.
/// <c>new LineChart("Training loss") { XLabel = "update", YLabel = "loss (bits)" }.Add("train", xs, ys).Add("valid", xs2, ys2)</c>.
/// Points with a non-finite coordinate (or a non-positive y on a log axis) are skipped and break the line there.
/// Axes get "nice" ranges and ticks (<see cref="NiceTicks"/>); named series are listed in a legend placed in the
/// plot corner that hides the fewest points. A chart without drawable points still shows its axes and "no data".
/// </summary>
public sealed class LineChart : IChart
{
    /// <summary>Series with at most this many drawable points also get a dot on every point.</summary>
    public const int MarkerThreshold = 30;

    /// <summary>Radius of the point markers in pixels (at text scale 1).</summary>
    internal const double MarkerRadius = 2.5;

    private readonly List<LineSeries> _series = [];

    /// <summary>Creates an empty chart.</summary>
    public LineChart(string title)
    {
        Title = title ?? "";
    }

    /// <inheritdoc />
    public string Title { get; }

    /// <summary>Label under the x axis.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label left of the y axis (drawn vertically).</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Logarithmic (base 10) y axis.</summary>
    public bool LogY { get; set; }

    /// <summary>Forces the x axis to include this value at its lower end (null: fit the data).</summary>
    public double? XMin { get; set; }

    /// <summary>Forces the x axis to include this value at its upper end (null: fit the data).</summary>
    public double? XMax { get; set; }

    /// <summary>Forces the y axis to include this value at its lower end (null: fit the data).</summary>
    public double? YMin { get; set; }

    /// <summary>Forces the y axis to include this value at its upper end (null: fit the data).</summary>
    public double? YMax { get; set; }

    /// <summary>Width of the series lines in pixels (at text scale 1).</summary>
    public double LineWidth { get; set; } = 1.75;

    /// <summary>Number of series added.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>
    /// Adds a series. <paramref name="xs"/> and <paramref name="ys"/> must have the same length; the colour defaults
    /// to the next <see cref="Palette.Series"/> colour. An empty name keeps the series out of the legend.
    /// </summary>
    /// <returns>This chart, for chaining.</returns>
    /// <exception cref="ArgumentException">The coordinate lists differ in length.</exception>
    public LineChart Add(string name, IEnumerable<double> xs, IEnumerable<double> ys, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        double[] x = [.. xs], y = [.. ys];
        if (x.Length != y.Length)
            throw new ArgumentException($"Series '{name}' has {x.Length} x values but {y.Length} y values.", nameof(ys));
        _series.Add(new LineSeries(name ?? "", x, y, color ?? Palette.Series(_series.Count)));
        return this;
    }

    /// <inheritdoc />
    public void Draw(Canvas canvas, PixelRect area)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        canvas.DrawClipped(area, () => Render(canvas, area));
    }

    /// <summary>Axes and plot rectangle for drawing into <paramref name="area"/> (exposed for tests).</summary>
    internal Geometry Layout(PixelRect area)
    {
        var scale = ChartFrame.ScaleFor(area);
        var valid = _series.SelectMany(s => s.Points(LogY)).ToList();
        var hasData = valid.Count > 0;
        var x = Range(valid.Select(p => p.X), XMin, XMax, (0, 1));
        var y = Range(valid.Select(p => p.Y), LogY && YMin <= 0 ? null : YMin, LogY && YMax <= 0 ? null : YMax, LogY ? (1, 10) : (0, 1));
        var xTicks = NiceTicks.Linear(x.Min, x.Max, Math.Clamp(area.Width / scale / 100, 2, 10));
        var yTicks = LogY
            ? NiceTicks.Log(y.Min, y.Max)
            : NiceTicks.Linear(y.Min, y.Max, Math.Clamp(area.Height / scale / 60, 2, 10));
        var xLabels = NumberFormat.FormatTicks(xTicks.Values);
        var yLabels = NumberFormat.FormatTicks(yTicks.Values);
        var frame = ChartFrame.Create(area, Title, XLabel, YLabel, yLabels, xLabels[^1]);
        return new Geometry(frame, xTicks, yTicks, xLabels, yLabels, hasData);
    }

    private void Render(Canvas canvas, PixelRect area)
    {
        var g = Layout(area);
        var frame = g.Frame;
        var xColumns = g.XTicks.Values.Select(v => ChartFrame.Pixel(g.MapX(v))).ToList();
        var yRows = g.YTicks.Values.Select(v => ChartFrame.Pixel(g.MapY(v))).ToList();
        frame.DrawBackground(canvas);
        frame.DrawXGrid(canvas, xColumns);
        frame.DrawYGrid(canvas, yRows);
        frame.DrawFrame(canvas);

        var runs = _series.Select(s => s.Runs(LogY).Select(run => LineSeries.Decimate([.. run.Select(p => (g.MapX(p.X), g.MapY(p.Y)))])).ToList()).ToList();
        var saved = canvas.Clip;
        canvas.Clip = saved.Intersect(frame.Plot);
        var width = LineWidth * frame.Scale;
        for (var i = 0; i < _series.Count; i++)
        {
            var markers = HasMarkers(_series[i]);
            foreach (var run in runs[i])
            {
                canvas.DrawPolyline(run, _series[i].Color, width);
                if (markers || run.Count == 1)
                    run.ForEach(p => canvas.FillCircle(p.Item1, p.Item2, MarkerRadius * frame.Scale, _series[i].Color));
            }
        }

        canvas.Clip = saved;
        frame.DrawXTicks(canvas, xColumns, g.XLabels);
        frame.DrawYTicks(canvas, yRows, g.YLabels);
        frame.DrawLabels(canvas);
        if (!g.HasData)
            frame.DrawNoData(canvas);
        DrawLegend(canvas, frame, runs);
    }

    private void DrawLegend(Canvas canvas, ChartFrame frame, List<List<List<(double, double)>>> runs)
    {
        var entries = _series
            .Select((s, i) => new LegendEntry(s.Name, s.Color,
                HasMarkers(s) ? LegendSwatch.LineWithMarker : LegendSwatch.Line))
            .Where(e => e.Name.Length > 0)
            .ToList();
        if (entries.Count == 0)
            return;
        var samples = runs.SelectMany(r => r).SelectMany(Sample).ToList();
        var size = Legend.Measure(entries, frame.Scale);
        var rect = Legend.Place(frame.Plot, size, frame.Scale, box =>
        {
            var grown = new PixelRect(box.X - 3, box.Y - 3, box.Width + 6, box.Height + 6);
            return samples.Count(p => grown.Contains(ChartFrame.Pixel(p.Item1), ChartFrame.Pixel(p.Item2)));
        });
        Legend.Draw(canvas, rect, entries, frame.Scale);
    }

    private bool HasMarkers(LineSeries series) => series.Points(LogY).Take(MarkerThreshold + 1).Count() <= MarkerThreshold;

    /// <summary>Points along a polyline no more than about 3 pixels apart.</summary>
    private static IEnumerable<(double, double)> Sample(List<(double X, double Y)> run)
    {
        for (var i = 0; i < run.Count; i++)
        {
            yield return run[i];
            if (i + 1 == run.Count)
                yield break;
            var (a, b) = (run[i], run[i + 1]);
            var steps = (int)Math.Min(1000, Math.Ceiling(Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2)) / 3));
            for (var k = 1; k < steps; k++)
                yield return (a.X + (b.X - a.X) * k / steps, a.Y + (b.Y - a.Y) * k / steps);
        }
    }

    private static (double Min, double Max) Range(IEnumerable<double> values, double? min, double? max, (double Min, double Max) fallback)
    {
        var list = values.ToList();
        var lo = list.Count > 0 ? list.Min() : fallback.Min;
        var hi = list.Count > 0 ? list.Max() : fallback.Max;
        if (min is { } fixedMin && double.IsFinite(fixedMin))
            lo = list.Count > 0 ? Math.Min(lo, fixedMin) : fixedMin;
        if (max is { } fixedMax && double.IsFinite(fixedMax))
            hi = list.Count > 0 ? Math.Max(hi, fixedMax) : fixedMax;
        return lo <= hi ? (lo, hi) : (hi, lo);
    }

    /// <summary>Resolved axes and layout of one drawing.</summary>
    internal sealed record Geometry(ChartFrame Frame, AxisTicks XTicks, AxisTicks YTicks,
        IReadOnlyList<string> XLabels, IReadOnlyList<string> YLabels, bool HasData)
    {
        /// <summary>Fractional column of data x.</summary>
        public double MapX(double x) => Math.Clamp(XTicks.Map(x, Frame.Plot.X, Frame.Plot.Right - 1), -1e6, 1e6);

        /// <summary>Fractional row of data y.</summary>
        public double MapY(double y) => Math.Clamp(YTicks.Map(y, Frame.Plot.Bottom - 1, Frame.Plot.Y), -1e6, 1e6);
    }
}
