using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class BarChartTests
{
    [Fact]
    public void BarAreas_AreProportionalToTheirValues()
    {
        var formatted = new List<double>();
        var chart = new BarChart("WER") { YLabel = "WER (%)", ValueFormat = v => { formatted.Add(v); return v.ToString("0.0"); } }
            .Add("seen", "pretrained", 10)
            .Add("seen", "from scratch", 40)
            .Add("unseen", "pretrained", 20)
            .Add("unseen", "from scratch", 60);

        var png = PngTestReader.Decode(chart.Render(600, 400));

        var pretrained = CountIn(png, Palette.Series(0));
        var scratch = CountIn(png, Palette.Series(1));
        const int legendSwatch = 8 * 8;
        Assert.InRange((scratch - legendSwatch) / (double)(pretrained - legendSwatch), 3.2, 3.5); // (40 + 60) / (10 + 20)
        Assert.Equal([10, 40, 20, 60], formatted);
        Assert.Equal(Rgb.White, png[0, 0]);
    }

    [Fact]
    public void MissingAndNonFiniteValues_DoNotThrow()
    {
        new BarChart("partial").Add("a", "x", 1).Add("b", "y", double.NaN).Add("c", -2.5).Render(300, 200);
        new BarChart("empty").Render(300, 200);
        new BarChart("zeros").Add("a", 0).Add("b", 0).Render(300, 200);
    }

    private static int CountIn(DecodedPng png, Rgb color)
    {
        var count = 0;
        for (var y = 0; y < png.Height; y++)
        {
            for (var x = 0; x < png.Width; x++)
            {
                if (png[x, y] == color)
                    count++;
            }
        }

        return count;
    }
}
