using ScottPlot;
using ScottPlot.TickGenerators;

namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// Ticks for an axis whose coordinates are log10 of the data (ScottPlot has no log scale of its own: the data is
/// plotted as log10 values and this generator labels them with the original values). Labels sit at 1-2-5 or 1…9
/// multiples of the decades, as dense as the axis length allows; unlabelled multiples get minor ticks. A range
/// narrower than one such step falls back to ScottPlot's automatic ticks with the labels mapped back.
/// </summary>
internal sealed class LogTickGenerator : ITickGenerator
{
    /// <summary>The fewest pixels between two labelled ticks.</summary>
    internal const float MinLabelSpacing = 18;

    private static readonly int[][] _mantissas = [[1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 5], [1]];

    /// <inheritdoc />
    public Tick[] Ticks { get; set; } = [];

    /// <inheritdoc />
    public int MaxTickCount { get; set; } = 10_000;

    /// <inheritdoc />
    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        Ticks = Generate(range.Min, range.Max, size.Length);
        if (Ticks.Count(t => t.IsMajor) >= 2)
            return;
        var fallback = new NumericAutomatic { LabelFormatter = y => ChartStyle.Number(Math.Pow(10, y)) };
        fallback.Regenerate(range, edge, size, paint, labelStyle);
        Ticks = fallback.Ticks;
    }

    /// <summary>Ticks inside [<paramref name="min"/>, <paramref name="max"/>] (log10 units) for an axis <paramref name="pixels"/> long.</summary>
    internal static Tick[] Generate(double min, double max, double pixels)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max <= min || pixels <= 0)
            return [];
        var pixelsPerDecade = pixels / (max - min);
        int[] labelled = [1];
        var decadeStep = 1;
        foreach (var set in _mantissas)
        {
            if (MinGapInDecades(set) * pixelsPerDecade >= MinLabelSpacing)
            {
                labelled = set;
                break;
            }
        }

        if (pixelsPerDecade < MinLabelSpacing)
            decadeStep = (int)Math.Ceiling(MinLabelSpacing / pixelsPerDecade);
        var minors = decadeStep == 1 && pixelsPerDecade >= 4 * MinLabelSpacing / 9;

        var ticks = new List<Tick>();
        for (var decade = (int)Math.Floor(min); decade <= (int)Math.Ceiling(max); decade++)
        {
            for (var m = 1; m <= 9; m++)
            {
                var position = decade + Math.Log10(m);
                if (position < min - 1e-9 || position > max + 1e-9)
                    continue;
                if (labelled.Contains(m) && (m != 1 || decade % decadeStep == 0))
                    ticks.Add(Tick.Major(position, ChartStyle.Number(m * Math.Pow(10, decade))));
                else if (minors)
                    ticks.Add(Tick.Minor(position));
            }
        }

        return [.. ticks];
    }

    private static double MinGapInDecades(int[] set)
    {
        var gap = Math.Log10(10.0 / set[^1]);
        for (var i = 1; i < set.Length; i++)
            gap = Math.Min(gap, Math.Log10(set[i] / (double)set[i - 1]));
        return gap;
    }
}
