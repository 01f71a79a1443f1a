using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class ChartGridTests
{
    [Fact]
    public void Render_LaysChartsOutRowByRowAndLeavesUnusedPanelsBlank()
    {
        var canvas = ChartGrid.Render(2, 200, 150, new LineChart("a"), new LineChart("b"), new BarChart("c"));

        Assert.Equal((400, 300), (canvas.Width, canvas.Height));
        Assert.True(Enumerable.Range(200, 200).All(x => Enumerable.Range(150, 150).All(y => canvas.GetPixel(x, y) == Rgb.White)));
        Assert.True(CanvasTests.Count(canvas, Palette.Axis) > 1000);
    }

    [Fact]
    public void Render_RejectsAnEmptyGrid() =>
        Assert.Throws<ArgumentException>(() => ChartGrid.Render(2, 100, 100));

    [Fact]
    public void SampleTrainingCurves_RenderToAReadablePng()
    {
        var path = Path.Combine(Path.GetTempPath(), "plot_sample.png");
        var updates = Enumerable.Range(0, 401).Select(i => i * 50.0).ToArray();
        var validUpdates = Enumerable.Range(1, 20).Select(i => i * 1000.0).ToArray();
        var random = new Random(7);
        double Loss(double u) => 2.2 + 4.4 * Math.Exp(-u / 3000);
        double Accuracy(double u) => 0.02 + 0.6 * (1 - Math.Exp(-u / 4000));
        double Rate(double u) => u < 2000 ? 5e-4 * u / 2000 : 5e-4 * (20000 - u) / 18000;
        var trainLoss = updates.Select(u => Loss(u) + 0.15 * (random.NextDouble() - 0.5)).ToArray();
        trainLoss[123] = double.NaN; // a skipped point

        var loss = new LineChart("Loss") { XLabel = "update", YLabel = "loss (bits)" }
            .Add("train", updates, trainLoss)
            .Add("valid", validUpdates, validUpdates.Select(u => Loss(u) + 0.1));
        var accuracy = new LineChart("Accuracy") { XLabel = "update", YLabel = "accuracy" }
            .Add("train", updates, updates.Select(u => Accuracy(u) + 0.02 * (random.NextDouble() - 0.5)))
            .Add("valid", validUpdates, validUpdates.Select(u => Accuracy(u) - 0.03));
        var perplexity = new LineChart("Codebook perplexity") { XLabel = "update", YLabel = "perplexity", LogY = true }
            .Add("code", updates, updates.Select(u => 600 * Math.Exp(-u / 2500) + 35))
            .Add("prob", updates, updates.Select(u => 640 * Math.Exp(-u / 2000) + 28));
        var rate = new LineChart("Learning rate") { XLabel = "update", YLabel = "lr" }.Add("lr", updates, updates.Select(Rate));

        ChartGrid.Save(path, 2, loss, accuracy, perplexity, rate);
        new BarChart("Word error rate") { YLabel = "WER (%)" }
            .Add("seen speakers", "pretrained", 18.4).Add("seen speakers", "from scratch", 47.9)
            .Add("unseen speakers", "pretrained", 24.1).Add("unseen speakers", "from scratch", 63.2)
            .Save(Path.Combine(Path.GetTempPath(), "plot_sample_wer.png"), 640, 420);

        var png = PngTestReader.Decode(File.ReadAllBytes(path));
        Assert.Equal((2 * ChartGrid.DefaultPanelWidth, 2 * ChartGrid.DefaultPanelHeight), (png.Width, png.Height));
    }
}
