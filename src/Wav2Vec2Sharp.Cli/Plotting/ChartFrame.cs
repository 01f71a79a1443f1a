namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// Layout and decoration shared by the charts: title, axis labels, tick labels, grid, frame.
/// <see cref="Plot"/> is the data rectangle; its border pixels carry the frame, and data coordinates map onto
/// columns <c>Plot.X..Plot.Right-1</c> and rows <c>Plot.Bottom-1..Plot.Y</c>.
/// </summary>
internal sealed class ChartFrame
{
    private readonly PixelRect _area;
    private readonly string _title;
    private readonly string _xLabel;
    private readonly string _yLabel;

    private ChartFrame(PixelRect area, int scale, string title, string xLabel, string yLabel, PixelRect plot)
    {
        _area = area;
        Scale = scale;
        _title = title;
        _xLabel = xLabel;
        _yLabel = yLabel;
        Plot = plot;
    }

    /// <summary>Text scale: 1, or 2 for large images.</summary>
    public int Scale { get; }

    /// <summary>The data rectangle, frame included.</summary>
    public PixelRect Plot { get; }

    // Layout constants, in pixels at text scale 1 (everything is multiplied by the scale).
    private const int MarginUnits = 10; // around the whole chart
    private const int TickUnits = 4; // tick mark length
    private const int GapUnits = 4; // between a tick mark and its label
    private const int TitleGapUnits = 8; // between the title and the plot
    private const int AxisLabelGapUnits = 6; // between tick labels and the x-axis label

    private int Margin => MarginUnits * Scale;

    private int TickLength => TickUnits * Scale;

    private int TitleScale => Scale + 1;

    /// <summary>The text scale suited to an area: doubled once the panel is large.</summary>
    public static int ScaleFor(PixelRect area) => area.Width >= 1200 && area.Height >= 700 ? 2 : 1;

    /// <summary>Computes the layout. <paramref name="yTickLabels"/> set the left margin; <paramref name="lastXTickLabel"/> the right one.</summary>
    public static ChartFrame Create(PixelRect area, string title, string xLabel, string yLabel,
        IReadOnlyList<string> yTickLabels, string lastXTickLabel)
    {
        var s = ScaleFor(area);
        var lineHeight = BitmapFont.CellHeight * s;
        var titleHeight = title.Length > 0 ? BitmapFont.CellHeight * (s + 1) + TitleGapUnits * s : GapUnits * s;
        var yLabelWidth = yLabel.Length > 0 ? lineHeight + 2 * GapUnits * s : 0;
        var yTickWidth = yTickLabels.Select(l => BitmapFont.MeasureWidth(l, s)).DefaultIfEmpty(0).Max() + (TickUnits + GapUnits) * s;
        var xLabelHeight = xLabel.Length > 0 ? lineHeight + AxisLabelGapUnits * s : 0;
        var xTickHeight = lineHeight + (TickUnits + GapUnits) * s;

        var top = area.Y + MarginUnits * s + titleHeight;
        var left = area.X + MarginUnits * s + yLabelWidth + yTickWidth;
        var bottom = area.Bottom - MarginUnits * s - xLabelHeight - xTickHeight;
        var right = area.Right - MarginUnits * s - Math.Max(8 * s, BitmapFont.MeasureWidth(lastXTickLabel, s) / 2);
        var plot = new PixelRect(left, top, Math.Max(right - left, 2), Math.Max(bottom - top, 2));
        return new ChartFrame(area, s, title, xLabel, yLabel, plot);
    }

    /// <summary>The pixel index nearest a fractional coordinate (clamped far off-canvas).</summary>
    public static int Pixel(double coordinate) => (int)Math.Round(Math.Clamp(coordinate, -1e6, 1e6));

    /// <summary>Paints the chart area with the background colour.</summary>
    public void DrawBackground(Canvas canvas)
    {
        canvas.FillRect(_area, Palette.Background);
    }

    /// <summary>Vertical grid lines at the given columns (skipping the frame).</summary>
    public void DrawXGrid(Canvas canvas, IEnumerable<int> columns)
    {
        foreach (var x in columns.Where(x => x > Plot.X && x < Plot.Right - 1))
            canvas.DrawLine(x, Plot.Y + 1, x, Plot.Bottom - 2, Palette.Grid);
    }

    /// <summary>Horizontal grid lines at the given rows (skipping the frame).</summary>
    public void DrawYGrid(Canvas canvas, IEnumerable<int> rows)
    {
        foreach (var y in rows.Where(y => y > Plot.Y && y < Plot.Bottom - 1))
            canvas.DrawLine(Plot.X + 1, y, Plot.Right - 2, y, Palette.Grid);
    }

    /// <summary>The frame around the data rectangle.</summary>
    public void DrawFrame(Canvas canvas) => canvas.DrawRect(Plot, Palette.Axis);

    /// <summary>Tick marks (optional) and centred labels below the plot.</summary>
    public void DrawXTicks(Canvas canvas, IReadOnlyList<int> columns, IReadOnlyList<string> labels, bool marks = true)
    {
        var labelTop = Plot.Bottom + TickLength + GapUnits * Scale;
        for (var i = 0; i < columns.Count; i++)
        {
            if (marks)
                canvas.DrawLine(columns[i], Plot.Bottom, columns[i], Plot.Bottom + TickLength - 1, Palette.Axis);
            var width = BitmapFont.MeasureWidth(labels[i], Scale);
            canvas.DrawText(columns[i] - width / 2, labelTop, labels[i], Palette.Text, Scale);
        }
    }

    /// <summary>Tick marks and right-aligned labels left of the plot.</summary>
    public void DrawYTicks(Canvas canvas, IReadOnlyList<int> rows, IReadOnlyList<string> labels)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            canvas.DrawLine(Plot.X - TickLength, rows[i], Plot.X - 1, rows[i], Palette.Axis);
            var width = BitmapFont.MeasureWidth(labels[i], Scale);
            var top = rows[i] - BitmapFont.CapHeight * Scale / 2;
            canvas.DrawText(Plot.X - TickLength - GapUnits * Scale - width, top, labels[i], Palette.Text, Scale);
        }
    }

    /// <summary>Title above the plot and the axis labels.</summary>
    public void DrawLabels(Canvas canvas)
    {
        if (_title.Length > 0)
        {
            var width = BitmapFont.MeasureWidth(_title, TitleScale);
            var x = Math.Max(_area.X + Margin, Plot.X + (Plot.Width - width) / 2);
            canvas.DrawText(x, _area.Y + Margin, _title, Palette.Title, TitleScale);
        }

        if (_xLabel.Length > 0)
        {
            var width = BitmapFont.MeasureWidth(_xLabel, Scale);
            var y = Plot.Bottom + TickLength + GapUnits * Scale + BitmapFont.CellHeight * Scale + AxisLabelGapUnits * Scale;
            canvas.DrawText(Plot.X + (Plot.Width - width) / 2, y, _xLabel, Palette.Text, Scale);
        }

        if (_yLabel.Length > 0)
        {
            var height = BitmapFont.MeasureWidth(_yLabel, Scale);
            canvas.DrawTextVertical(_area.X + Margin, Plot.Y + (Plot.Height - height) / 2, _yLabel, Palette.Text, Scale);
        }
    }

    /// <summary>Large grey "no data" in the middle of the plot.</summary>
    public void DrawNoData(Canvas canvas)
    {
        const string text = "no data";
        var scale = Scale + 1;
        var width = BitmapFont.MeasureWidth(text, scale);
        canvas.DrawText(Plot.X + (Plot.Width - width) / 2, Plot.Y + (Plot.Height - BitmapFont.CapHeight * scale) / 2,
            text, Palette.Axis, scale);
    }
}
