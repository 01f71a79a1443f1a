using System.Text.Json.Nodes;
using ScottPlot;
using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Training;

/// <summary>Draws the learning curves of a run from its <c>metrics.jsonl</c> into one PNG (with ScottPlot).</summary>
public static class TrainingCurves
{
    /// <summary>Width of one panel of the grid in pixels.</summary>
    internal const int PanelWidth = 640;

    /// <summary>Height of one panel of the grid in pixels.</summary>
    internal const int PanelHeight = 420;

    /// <summary>Series with at most this many points also get a marker on every point.</summary>
    internal const int MarkerThreshold = 30;

    /// <summary>The splits drawn in every panel, in legend order; each gets its <see cref="ChartStyle.Series"/> colour.</summary>
    internal static readonly IReadOnlyList<string> Splits = ["train", "valid"];

    /// <summary>Panels of (title, y label, metric, log scale); each panel shows the train and, where logged, the valid curve.</summary>
    public static readonly IReadOnlyList<(string Title, string YLabel, string Metric, bool Log)> PretrainingPanels =
    [
        ("Loss", "bits per masked frame", "loss", false),
        ("Contrastive accuracy", "accuracy", "accuracy", false),
        ("Codebook perplexity", "perplexity", "code_perplexity", true),
        ("Learning rate", "lr", "lr", false),
    ];

    /// <summary>Panels of a fine-tuning run: CTC loss, dev WER, dev CER, learning rate.</summary>
    public static readonly IReadOnlyList<(string Title, string YLabel, string Metric, bool Log)> FineTuningPanels =
    [
        ("CTC loss", "loss per utterance (nats)", "loss", true),
        ("Dev word error rate", "WER", "wer", false),
        ("Dev character error rate", "CER", "cer", false),
        ("Learning rate", "lr", "lr", false),
    ];

    /// <summary>Draws <c>curves.png</c> in a run's output folder from its <c>metrics.jsonl</c>, when there is one.</summary>
    public static void DrawFor(string outputDirectory, IReadOnlyList<(string Title, string YLabel, string Metric, bool Log)> panels)
    {
        var metrics = Path.Combine(outputDirectory, "metrics.jsonl");
        if (File.Exists(metrics))
            Save(metrics, Path.Combine(outputDirectory, "curves.png"), panels);
    }

    /// <summary>
    /// Writes a grid of <paramref name="panels"/> (two per row, 640 × 420 pixels each) drawn from
    /// <paramref name="metricsPath"/> to <paramref name="pngPath"/>, replacing it atomically.
    /// </summary>
    /// <exception cref="ArgumentException">No panels were given.</exception>
    public static void Save(string metricsPath, string pngPath, IReadOnlyList<(string Title, string YLabel, string Metric, bool Log)> panels) =>
        ChartStyle.Save(pngPath, Render(MetricsLog.Read(metricsPath), panels));

    /// <summary>The PNG of <see cref="Save"/> for already read <paramref name="records"/>.</summary>
    internal static byte[] Render(IReadOnlyList<JsonObject> records, IReadOnlyList<(string Title, string YLabel, string Metric, bool Log)> panels)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
            throw new ArgumentException("A curves image needs at least one panel.", nameof(panels));
        var columns = Math.Min(2, panels.Count);
        var rows = (panels.Count + columns - 1) / columns;
        var plots = panels.Select(p => Panel(records, p.Title, p.YLabel, p.Metric, p.Log)).ToList();
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1))
            multiplot.AddPlot(plot);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        using var image = multiplot.Render(columns * PanelWidth, rows * PanelHeight);
        return image.GetImageBytes(ImageFormat.Png);
    }

    /// <summary>One panel: the train and valid values of <paramref name="metric"/> against the update.</summary>
    internal static Plot Panel(IReadOnlyList<JsonObject> records, string title, string yLabel, string metric, bool log)
    {
        var plot = new Plot();
        ChartStyle.Apply(plot);
        plot.Title(title);
        plot.XLabel("update");
        plot.YLabel(yLabel);
        var drawn = new List<List<(double X, double Y)>>();
        for (var i = 0; i < Splits.Count; i++)
        {
            var points = Points(records, Splits[i], metric, log);
            if (points.Count == 0)
                continue;
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), ChartStyle.Series(i));
            line.LegendText = Splits[i];
            line.LineWidth = 1.75f;
            line.MarkerSize = points.Count <= MarkerThreshold ? 5 : 0;
            drawn.Add(points);
        }

        if (log)
        {
            plot.Axes.Left.TickGenerator = new LogTickGenerator();
            plot.Grid.YAxisStyle.MinorLineStyle.Width = 1;
            plot.Grid.YAxisStyle.MinorLineStyle.Color = Colors.Black.WithOpacity(.05);
        }
        else
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = ChartStyle.Number };
        }

        if (drawn.Count == 0)
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
            ChartStyle.MarkEmpty(plot);
        }
        else
        {
            plot.ShowLegend(LegendCorner(drawn));
        }

        return plot;
    }

    /// <summary>The (update, value) points of one split, in file order; on a log axis non-positive values are left out and the rest are log10.</summary>
    internal static List<(double X, double Y)> Points(IReadOnlyList<JsonObject> records, string split, string metric, bool log) =>
        records.Where(r => r["split"]?.GetValue<string>() == split && r[metric] is not null && r["update"] is not null)
            .Select(r => (X: (double)r["update"]!.GetValue<long>(), Y: r[metric]!.GetValue<double>()))
            .Where(p => double.IsFinite(p.Y) && (!log || p.Y > 0))
            .Select(p => log ? (p.X, Math.Log10(p.Y)) : p)
            .ToList();

    /// <summary>
    /// The plot corner whose legend-sized box (40 % × 25 % of the data range) covers the least of the
    /// <paramref name="curves"/> (their points and the lines between them); the upper right one on a tie.
    /// </summary>
    internal static Alignment LegendCorner(IReadOnlyList<IReadOnlyList<(double X, double Y)>> curves)
    {
        var all = curves.SelectMany(c => c).ToList();
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => p.Y), y1 = all.Max(p => p.Y);
        double U(double x) => x1 > x0 ? (x - x0) / (x1 - x0) : 0.5;
        double V(double y) => y1 > y0 ? (y - y0) / (y1 - y0) : 0.5;
        var normalised = curves.SelectMany(Sample).Select(p => (U(p.X), V(p.Y))).ToList();
        (Alignment Corner, Func<double, double, bool> Covers)[] corners =
        [
            (Alignment.UpperRight, (u, v) => u > 0.6 && v > 0.75),
            (Alignment.UpperLeft, (u, v) => u < 0.4 && v > 0.75),
            (Alignment.LowerRight, (u, v) => u > 0.6 && v < 0.25),
            (Alignment.LowerLeft, (u, v) => u < 0.4 && v < 0.25),
        ];
        return corners.MinBy(c => normalised.Count(p => c.Covers(p.Item1, p.Item2))).Corner;
    }

    /// <summary>The points of a curve and 19 more on each line between two of them.</summary>
    private static IEnumerable<(double X, double Y)> Sample(IReadOnlyList<(double X, double Y)> curve)
    {
        const int steps = 20;
        for (var i = 0; i < curve.Count; i++)
        {
            if (i > 0)
            {
                var (a, b) = (curve[i - 1], curve[i]);
                for (var k = 1; k < steps; k++)
                    yield return (a.X + (b.X - a.X) * k / steps, a.Y + (b.Y - a.Y) * k / steps);
            }

            yield return curve[i];
        }
    }
}
