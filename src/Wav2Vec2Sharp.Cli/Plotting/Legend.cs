namespace Wav2Vec2Sharp.Plotting;

/// <summary>How a legend entry shows its colour.</summary>
internal enum LegendSwatch
{
    /// <summary>A short line.</summary>
    Line,

    /// <summary>A short line with a dot in the middle.</summary>
    LineWithMarker,

    /// <summary>A filled square (bars).</summary>
    Box,
}

/// <summary>One row of a legend.</summary>
internal readonly record struct LegendEntry(string Name, Rgb Color, LegendSwatch Swatch);

/// <summary>A boxed legend drawn inside the plot area.</summary>
internal static class Legend
{
    /// <summary>Size of the legend box for <paramref name="entries"/> at text <paramref name="scale"/>.</summary>
    public static (int Width, int Height) Measure(IReadOnlyList<LegendEntry> entries, int scale)
    {
        var textWidth = entries.Select(e => BitmapFont.MeasureWidth(e.Name, scale)).DefaultIfEmpty(0).Max();
        var width = Padding(scale) * 2 + SwatchWidth(scale) + 6 * scale + textWidth;
        var height = Padding(scale) * 2 + entries.Count * RowHeight(scale) - 4 * scale;
        return (width, height);
    }

    /// <summary>
    /// The corner of <paramref name="plot"/> (top-right, top-left, bottom-right, bottom-left, in that order of
    /// preference) whose legend box has the lowest <paramref name="cost"/> (e.g. data points covered).
    /// </summary>
    public static PixelRect Place(PixelRect plot, (int Width, int Height) size, int scale, Func<PixelRect, double> cost)
    {
        var inset = 8 * scale;
        int left = plot.X + inset, right = plot.Right - inset - size.Width;
        int top = plot.Y + inset, bottom = plot.Bottom - inset - size.Height;
        PixelRect[] corners =
        [
            new(right, top, size.Width, size.Height), new(left, top, size.Width, size.Height),
            new(right, bottom, size.Width, size.Height), new(left, bottom, size.Width, size.Height),
        ];
        var best = corners[0];
        var bestCost = double.MaxValue;
        foreach (var corner in corners)
        {
            var c = cost(corner);
            if (c < bestCost)
                (best, bestCost) = (corner, c);
        }

        return best;
    }

    /// <summary>Draws the legend box at <paramref name="rect"/>.</summary>
    public static void Draw(Canvas canvas, PixelRect rect, IReadOnlyList<LegendEntry> entries, int scale)
    {
        canvas.FillRect(rect, Palette.Background);
        canvas.DrawRect(rect, Palette.LegendBorder);
        var pad = Padding(scale);
        var swatch = SwatchWidth(scale);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var top = rect.Y + pad + i * RowHeight(scale);
            var middle = top + BitmapFont.CapHeight * scale / 2;
            var x = rect.X + pad;
            switch (entry.Swatch)
            {
                case LegendSwatch.Box:
                    canvas.FillRect(x + (swatch - 8 * scale) / 2, top - scale / 2, 8 * scale, 8 * scale, entry.Color);
                    break;
                default:
                    canvas.FillRect(x, middle - scale + 1, swatch, 2 * scale, entry.Color);
                    if (entry.Swatch == LegendSwatch.LineWithMarker)
                        canvas.FillCircle(x + (swatch - 1) / 2.0, middle + 0.5, LineChart.MarkerRadius * scale, entry.Color);
                    break;
            }

            canvas.DrawText(x + swatch + 6 * scale, top, entry.Name, Palette.Text, scale);
        }
    }

    private static int Padding(int scale) => 6 * scale;

    private static int SwatchWidth(int scale) => 18 * scale;

    private static int RowHeight(int scale) => (BitmapFont.CellHeight + 4) * scale;
}
