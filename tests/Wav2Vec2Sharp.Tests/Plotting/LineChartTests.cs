using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class LineChartTests
{
    private static readonly PixelRect _area = new(0, 0, 400, 300);
    private static readonly double[] _xs = [.. Enumerable.Range(0, 11).Select(i => (double)i)];

    [Fact]
    public void HorizontalSeries_AppearsOnTheRowTheAxisMappingPredicts()
    {
        var chart = new LineChart("flat") { XLabel = "update", YLabel = "loss", YMin = 0, YMax = 10 }
            .Add("", _xs, _xs.Select(_ => 3.0));
        var geometry = chart.Layout(_area);

        var png = PngTestReader.Decode(chart.Render(_area.Width, _area.Height));

        Assert.Equal((400, 300), (png.Width, png.Height));
        Assert.Equal([0, 2, 4, 6, 8, 10], geometry.YTicks.Values);
        var row = (int)Math.Round(geometry.MapY(3));
        foreach (var x in new[] { 0.5, 3.3, 5.5, 9.5 })
        {
            var column = (int)Math.Round(geometry.MapX(x));
            var closest = Enumerable.Range(row - 4, 9).MinBy(y => Distance(png[column, y], Palette.Series(0)));
            Assert.Equal(row, closest);
            Assert.True(IsNear(png[column, row], Palette.Series(0)));
            Assert.NotEqual(Palette.Series(0), png[column, row - 3]);
            Assert.NotEqual(Palette.Series(0), png[column, row + 3]);
        }

        Assert.Equal(Rgb.White, png[0, 0]);
        Assert.Equal(Rgb.White, png[399, 299]);
        var plot = geometry.Frame.Plot;
        Assert.Equal(Palette.Axis, png[plot.X, plot.Y]);
        Assert.Equal(Palette.Axis, png[plot.Right - 1, plot.Bottom - 1]);
    }

    [Fact]
    public void NonFinitePoints_AreSkippedAndBreakTheLine()
    {
        double[] ys = [3, 3, 3, 3, 3, double.NaN, 3, 3, 3, 3, 3];
        double[] xs = [.. _xs];
        xs[2] = double.PositiveInfinity;
        ys[8] = double.NegativeInfinity;
        var chart = new LineChart("gappy") { YMin = 0, YMax = 10 }.Add("", xs, ys);
        var geometry = chart.Layout(_area);

        var canvas = chart.Render(_area.Width, _area.Height);

        var row = (int)Math.Round(geometry.MapY(3));
        Assert.True(IsNear(canvas.GetPixel((int)Math.Round(geometry.MapX(3.5)), row), Palette.Series(0)));
        Assert.False(IsNear(canvas.GetPixel((int)Math.Round(geometry.MapX(5)), row), Palette.Series(0))); // the NaN gap
        Assert.Equal([0, 5, 10], geometry.XTicks.Values);
    }

    [Fact]
    public void EmptyChart_StillDrawsAxesAndSaysNoData()
    {
        AssertNoData(new LineChart("empty") { XLabel = "update" });
        AssertNoData(new LineChart("nothing yet").Add("train", [], []));
        AssertNoData(new LineChart("diverged").Add("train", [1, 2, 3], [double.NaN, double.PositiveInfinity, double.NaN]));
        AssertNoData(new LineChart("log of zeros") { LogY = true }.Add("lr", [1, 2], [0, -1]));
    }

    [Fact]
    public void LogAxis_SkipsNonPositiveValues()
    {
        var chart = new LineChart("ppl") { LogY = true }.Add("train", [0, 1, 2, 3], [0, 1000, 100, 20]);

        var geometry = chart.Layout(_area);
        chart.Render(_area.Width, _area.Height);

        Assert.True(geometry.HasData);
        Assert.Equal([20, 50, 100, 200, 500, 1000], geometry.YTicks.Values);
    }

    [Fact]
    public void Series_GetDistinctColoursAndLegendEntries()
    {
        var chart = new LineChart("three");
        for (var i = 0; i < 3; i++)
            chart.Add($"s{i}", _xs, _xs.Select(x => x * (i + 1)));

        var canvas = chart.Render(_area.Width, _area.Height);

        Assert.Equal(3, chart.SeriesCount);
        Assert.Equal(3, Enumerable.Range(0, 3).Select(Palette.Series).Distinct().Count());
        for (var i = 0; i < 3; i++)
            Assert.True(CanvasTests.Count(canvas, Palette.Series(i)) > 50, $"series {i} is not visible");
        Assert.True(CanvasTests.Count(canvas, Palette.LegendBorder) > 100, "no legend box");
    }

    [Fact]
    public void Legend_AvoidsTheCornerWhereTheDataIs()
    {
        var chart = new LineChart("rising").Add("train", _xs, _xs); // bottom-left to top-right
        var plot = chart.Layout(_area).Frame.Plot;

        var canvas = chart.Render(_area.Width, _area.Height);

        Assert.Equal(Palette.LegendBorder, canvas.GetPixel(plot.X + 8, plot.Y + 8)); // top-left corner of the legend box
    }

    [Fact]
    public void DenseSeries_KeepTheirPeaksWhenThinnedToPixelColumns()
    {
        var xs = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var ys = xs.Select(x => x == 50_001 ? 10.0 : 1.0).ToArray();
        var chart = new LineChart("spike").Add("", xs, ys);
        var geometry = chart.Layout(_area);

        var canvas = chart.Render(_area.Width, _area.Height);

        var column = (int)Math.Round(geometry.MapX(50_001));
        var top = (int)Math.Round(geometry.MapY(10));
        Assert.Equal([0, 2, 4, 6, 8, 10], geometry.YTicks.Values);
        Assert.Contains(Enumerable.Range(column - 1, 3), x => IsNear(canvas.GetPixel(x, top + 1), Palette.Series(0))); // anti-aliased
        Assert.True(IsNear(canvas.GetPixel(column + 20, (int)Math.Round(geometry.MapY(1))), Palette.Series(0)));
    }

    [Fact]
    public void Add_RejectsMismatchedLengths() =>
        Assert.Throws<ArgumentException>(() => new LineChart("bad").Add("a", [1, 2, 3], [1, 2]));

    private static int Distance(Rgb a, Rgb b) => Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B);

    /// <summary>Equal up to anti-aliasing of a line centre that is not on a pixel centre.</summary>
    private static bool IsNear(Rgb a, Rgb b) => Distance(a, b) < 60;

    private static void AssertNoData(LineChart chart)
    {
        var geometry = chart.Layout(_area);
        var canvas = chart.Render(_area.Width, _area.Height);
        var plot = geometry.Frame.Plot;

        Assert.False(geometry.HasData);
        Assert.Equal(Palette.Axis, canvas.GetPixel(plot.X, plot.Bottom - 1));
        Assert.Equal(Palette.Axis, canvas.GetPixel(plot.Right - 1, plot.Y));

        // The text "no data" at double scale, centred in the plot.
        const string text = "no data";
        var expected = new Canvas(_area.Width, _area.Height, Rgb.Black);
        var x = plot.X + (plot.Width - BitmapFont.MeasureWidth(text, 2)) / 2;
        var y = plot.Y + (plot.Height - BitmapFont.CapHeight * 2) / 2;
        expected.DrawText(x, y, text, Rgb.White, 2);
        var inked = 0;
        for (var py = y; py < y + BitmapFont.CellHeight * 2; py++)
        {
            for (var px = x; px < x + BitmapFont.MeasureWidth(text, 2); px++)
            {
                if (expected.GetPixel(px, py) != Rgb.White)
                    continue;
                inked++;
                Assert.Equal(Palette.Axis, canvas.GetPixel(px, py));
            }
        }

        Assert.True(inked > 50);
    }
}
