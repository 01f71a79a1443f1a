using System.Globalization;
using System.Text.Json.Nodes;
using ScottPlot;
using Wav2Vec2Sharp.Plotting;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class TrainingCurvesTests : IDisposable
{
    private static readonly Color _train = ChartStyle.Series(0);
    private static readonly Color _valid = ChartStyle.Series(1);
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A pretraining log: train every 5 updates up to 400, valid every 50 (no lr), and a NaN logged as null.</summary>
    private string WritePretrainingMetrics(string name = "metrics.jsonl")
    {
        var log = new MetricsLog(Path.Combine(_temp.Root, name));
        var random = new Random(7);
        for (var update = 5; update <= 400; update += 5)
        {
            log.Append(MetricsLog.Record("train", update, new Dictionary<string, double>
            {
                ["loss"] = update == 200 ? double.NaN : 2.2 + 4.4 * Math.Exp(-update / 80.0) + 0.1 * random.NextDouble(),
                ["accuracy"] = 0.02 + 0.6 * (1 - Math.Exp(-update / 100.0)),
                ["code_perplexity"] = 600 * Math.Exp(-update / 60.0) + 35,
                ["lr"] = update < 40 ? 5e-4 * update / 40 : 5e-4 * (400 - update) / 360,
            }));
            if (update % 50 == 0)
            {
                log.Append(MetricsLog.Record("valid", update, new Dictionary<string, double>
                {
                    ["loss"] = 2.4 + 4.4 * Math.Exp(-update / 80.0), ["accuracy"] = 0.6 * (1 - Math.Exp(-update / 100.0)),
                    ["code_perplexity"] = 500 * Math.Exp(-update / 60.0) + 30,
                }));
            }
        }

        return log.Path;
    }

    [Fact]
    public void Save_draws_a_two_by_two_grid_of_640_by_420_panels()
    {
        var png = Path.Combine(_temp.Root, "curves.png");

        TrainingCurves.Save(WritePretrainingMetrics(), png, TrainingCurves.PretrainingPanels);

        var image = PngImage.Read(png);
        Assert.Equal((2 * TrainingCurves.PanelWidth, 2 * TrainingCurves.PanelHeight), (image.Width, image.Height));
        Assert.Empty(Directory.GetFiles(_temp.Root, "*.tmp")); // written through a temporary sibling
    }

    [Fact]
    public void Each_panel_shows_the_train_curve_and_the_valid_curve_where_one_was_logged()
    {
        var png = Path.Combine(_temp.Root, "curves.png");
        TrainingCurves.Save(WritePretrainingMetrics(), png, TrainingCurves.PretrainingPanels);
        var image = PngImage.Read(png);
        const int w = TrainingCurves.PanelWidth, h = TrainingCurves.PanelHeight;

        for (var panel = 0; panel < 4; panel++)
        {
            var (x0, y0) = (panel % 2 * w, panel / 2 * h);
            var train = image.Count(_train, x0: x0, y0: y0, x1: x0 + w, y1: y0 + h);
            var valid = image.Count(_valid, x0: x0, y0: y0, x1: x0 + w, y1: y0 + h);
            Assert.True(train > 400, $"panel {panel}: {train} train-coloured pixels");
            if (panel < 3)
                Assert.True(valid > 150, $"panel {panel}: {valid} valid-coloured pixels");
            else
                Assert.Equal(0, valid); // the learning rate is logged for train only
        }
    }

    [Fact]
    public void A_log_without_the_metrics_draws_empty_panels_that_differ_from_drawn_curves()
    {
        var empty = Path.Combine(_temp.Root, "empty.jsonl");
        File.WriteAllText(empty, "{\"split\":\"train\",\"update\":1,\"other\":2}\n");
        var emptyPng = Path.Combine(_temp.Root, "empty.png");
        var fullPng = Path.Combine(_temp.Root, "full.png");

        TrainingCurves.Save(empty, emptyPng, TrainingCurves.FineTuningPanels);
        TrainingCurves.Save(WritePretrainingMetrics(), fullPng, TrainingCurves.FineTuningPanels);

        var image = PngImage.Read(emptyPng);
        Assert.Equal((1280, 840), (image.Width, image.Height));
        Assert.Equal(0, image.Count(_train));
        Assert.Equal(0, image.Count(_valid));
        Assert.True(PngImage.Read(fullPng).Count(_train) > 400); // loss and lr are in the pretraining log too
        Assert.NotEqual(File.ReadAllBytes(emptyPng), File.ReadAllBytes(fullPng));
    }

    [Fact]
    public void Points_skip_missing_values_and_on_a_log_axis_the_non_positive_ones()
    {
        var records = new[]
        {
            """{"split":"train","update":1,"loss":100}""", """{"split":"train","update":2,"loss":null}""",
            """{"split":"train","update":3,"loss":0}""", """{"split":"train","update":4,"loss":-1}""",
            """{"split":"valid","update":4,"loss":10}""", """{"split":"train","update":5,"loss":0.01}""",
        }.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        Assert.Equal([(1.0, 100.0), (3.0, 0.0), (4.0, -1.0), (5.0, 0.01)], TrainingCurves.Points(records, "train", "loss", log: false));
        var log = TrainingCurves.Points(records, "train", "loss", log: true);
        Assert.Equal([1.0, 5.0], log.Select(p => p.X));
        Assert.Equal(2, log[0].Y, 12);
        Assert.Equal(-2, log[1].Y, 12);
        Assert.Equal([(4.0, 1.0)], TrainingCurves.Points(records, "valid", "loss", log: true));
    }

    [Fact]
    public void The_legend_goes_to_the_corner_away_from_the_curves()
    {
        List<(double X, double Y)> rising = [.. Enumerable.Range(0, 20).Select(i => ((double)i, (double)i))];
        List<(double X, double Y)> falling = [.. Enumerable.Range(0, 20).Select(i => ((double)i, 100.0 / (i + 1)))];

        Assert.Equal(Alignment.UpperLeft, TrainingCurves.LegendCorner([rising]));
        Assert.Equal(Alignment.UpperRight, TrainingCurves.LegendCorner([falling]));
        // Two points only: the line between them still counts.
        Assert.Equal(Alignment.UpperLeft, TrainingCurves.LegendCorner([[(0, 0), (10, 10)]]));
    }

    [Theory]
    [InlineData(35, 600, new[] { "50", "100", "200", "500" })]
    [InlineData(60, 85, new[] { "60", "70", "80" })]
    [InlineData(1e-6, 10, new[] { "1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10" })]
    [InlineData(1e-12, 1e12, new[] { "1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "0.01", "1", "100", "10000", "1e6", "1e8", "1e10", "1e12" })]
    public void Log_axis_labels_are_the_densest_readable_multiples_of_the_decades(double min, double max, string[] labels)
    {
        var ticks = LogTickGenerator.Generate(Math.Log10(min), Math.Log10(max), 330);

        var major = ticks.Where(t => t.IsMajor).ToList();
        Assert.Equal(labels, major.Select(t => t.Label));
        Assert.All(major, t => Assert.Equal(double.Parse(t.Label, CultureInfo.InvariantCulture), Math.Pow(10, t.Position), 1e-9 * Math.Pow(10, t.Position)));
        var gaps = major.Zip(major.Skip(1), (a, b) => (b.Position - a.Position) * 330 / (Math.Log10(max) - Math.Log10(min)));
        Assert.All(gaps, gap => Assert.True(gap >= LogTickGenerator.MinLabelSpacing, $"labels {gap:F1} px apart"));
        Assert.All(ticks, t => Assert.InRange(t.Position, Math.Log10(min) - 1e-9, Math.Log10(max) + 1e-9));
    }

    [Fact]
    public void Log_axis_narrower_than_one_step_still_gets_labelled_ticks()
    {
        var generator = new LogTickGenerator();

        using var paint = Paint.NewDisposablePaint();
        generator.Regenerate(new CoordinateRange(Math.Log10(61), Math.Log10(64)), Edge.Left, 330, paint, new LabelStyle());

        var labels = generator.Ticks.Where(t => t.IsMajor).Select(t => double.Parse(t.Label, CultureInfo.InvariantCulture)).ToList();
        Assert.True(labels.Count >= 2, string.Join(", ", labels));
        Assert.All(labels, v => Assert.InRange(v, 61, 64));
    }

    [Theory]
    [InlineData(0.0005, "5e-4")]
    [InlineData(0.002, "0.002")]
    [InlineData(20000, "20000")]
    [InlineData(2e-5, "2e-5")]
    [InlineData(150000, "1.5e5")]
    [InlineData(61.4567, "61.46")]
    [InlineData(1, "1")]
    [InlineData(0, "0")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(4.5e-5, "4.5e-5")]
    public void Tick_label_format(double value, string expected) => Assert.Equal(expected, ChartStyle.Number(value));

    [Fact]
    public void DrawFor_draws_curves_png_only_where_there_is_a_metrics_file()
    {
        var withoutMetrics = Path.Combine(_temp.Root, "none");
        Directory.CreateDirectory(withoutMetrics);
        TrainingCurves.DrawFor(withoutMetrics, TrainingCurves.FineTuningPanels);
        Assert.False(File.Exists(Path.Combine(withoutMetrics, "curves.png")));

        WritePretrainingMetrics();
        TrainingCurves.DrawFor(_temp.Root, TrainingCurves.PretrainingPanels);
        Assert.Equal(1280, PngImage.Read(Path.Combine(_temp.Root, "curves.png")).Width);
    }

    [Fact]
    public void An_odd_number_of_panels_leaves_the_last_cell_blank_and_none_is_refused()
    {
        var png = Path.Combine(_temp.Root, "three.png");
        var metrics = WritePretrainingMetrics();
        TrainingCurves.Save(metrics, png, TrainingCurves.PretrainingPanels.Take(3).ToList());

        var image = PngImage.Read(png);
        Assert.Equal((1280, 840), (image.Width, image.Height));
        Assert.Equal(0, image.Count(_train, x0: 640, y0: 420));
        Assert.Throws<ArgumentException>(() => TrainingCurves.Save(metrics, png, []));
    }
}
