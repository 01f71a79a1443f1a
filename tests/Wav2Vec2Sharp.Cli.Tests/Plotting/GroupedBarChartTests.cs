using Wav2Vec2Sharp.Plotting;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class GroupedBarChartTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static GroupedBarChart Wer(List<double>? formatted = null) =>
        new GroupedBarChart("WER")
        {
            YLabel = "WER (%)",
            ValueFormat = v =>
            {
                formatted?.Add(v);
                return v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            },
        }
        .Add("seen", "pretrained", 10)
        .Add("seen", "from scratch", 40)
        .Add("unseen", "pretrained", 20)
        .Add("unseen", "from scratch", 60);

    [Fact]
    public void Bar_areas_are_proportional_to_their_values_and_every_bar_is_labelled()
    {
        var formatted = new List<double>();

        var image = PngImage.Read(Wer(formatted).RenderPng(600, 400));

        Assert.Equal((600, 400), (image.Width, image.Height));
        var pretrained = image.Count(ChartStyle.Series(0), tolerance: 0);
        var scratch = image.Count(ChartStyle.Series(1), tolerance: 0);
        Assert.True(pretrained > 1000, $"{pretrained} pretrained-coloured pixels");
        Assert.InRange(scratch / (double)pretrained, 3.0, 3.6); // (40 + 60) / (10 + 20), plus two equal legend swatches
        Assert.Equal([10, 40, 20, 60], formatted);
        Assert.Equal(0, image.Count(ChartStyle.Series(2), tolerance: 0));
    }

    [Fact]
    public void The_bars_of_a_category_stand_side_by_side_in_its_slot()
    {
        var plot = Wer().ToPlot();

        var bars = plot.GetPlottables<ScottPlot.Plottables.BarPlot>().Single().Bars;
        Assert.Equal([10, 40, 20, 60], bars.Select(b => b.Value));
        Assert.Equal([-0.2, 0.2, 0.8, 1.2], bars.Select(b => Math.Round(b.Position, 9)));
        Assert.Equal(["10.0", "40.0", "20.0", "60.0"], bars.Select(b => b.Label));
    }

    [Fact]
    public void Missing_non_finite_and_absent_values_render_without_throwing()
    {
        var partial = new GroupedBarChart("partial").Add("a", "x", 1).Add("b", "y", double.NaN).Add("c", -2.5);
        var empty = new GroupedBarChart("empty");
        var zeros = new GroupedBarChart("zeros").Add("a", 0).Add("b", 0);

        foreach (var chart in new[] { partial, empty, zeros })
            Assert.Equal((300, 200), (PngImage.Read(chart.RenderPng(300, 200)).Width, PngImage.Read(chart.RenderPng(300, 200)).Height));
        Assert.Contains("n/a", partial.ToPlot().GetPlottables<ScottPlot.Plottables.BarPlot>().Single().Bars.Select(b => b.Label));
        Assert.Equal(0, PngImage.Read(empty.RenderPng(300, 200)).Count(ChartStyle.Series(0)));
    }

    [Fact]
    public void Save_writes_the_png_and_a_chart_with_bars_differs_from_an_empty_one()
    {
        var path = Path.Combine(_temp.Root, "wer.png");
        var emptyPath = Path.Combine(_temp.Root, "empty.png");

        Wer().Save(path);
        new GroupedBarChart("WER") { YLabel = "WER (%)" }.Save(emptyPath);

        var image = PngImage.Read(path);
        Assert.Equal((GroupedBarChart.DefaultWidth, GroupedBarChart.DefaultHeight), (image.Width, image.Height));
        Assert.True(image.Count(ChartStyle.Series(1), tolerance: 0) > 1000);
        Assert.NotEqual(File.ReadAllBytes(path), File.ReadAllBytes(emptyPath));
        Assert.Equal(2, Directory.GetFiles(_temp.Root).Length); // no temporary file left behind
    }
}
