using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Training;

/// <summary>Draws the learning curves of a run from its <c>metrics.jsonl</c> into one PNG.</summary>
public static class TrainingCurves
{
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

    /// <summary>Writes a 2 × 2 grid of <paramref name="panels"/> drawn from <paramref name="metricsPath"/> to <paramref name="pngPath"/>.</summary>
    public static void Save(string metricsPath, string pngPath, IReadOnlyList<(string Title, string YLabel, string Metric, bool Log)> panels)
    {
        var records = MetricsLog.Read(metricsPath);
        var charts = new List<IChart>();
        foreach (var (title, yLabel, metric, log) in panels)
        {
            var chart = new LineChart(title) { XLabel = "update", YLabel = yLabel, LogY = log };
            foreach (var split in new[] { "train", "valid" })
            {
                var points = records.Where(r => r["split"]?.GetValue<string>() == split && r[metric] is not null)
                    .Select(r => (X: (double)r["update"]!.GetValue<long>(), Y: r[metric]!.GetValue<double>())).ToList();
                if (points.Count > 0)
                    chart.Add(split, points.Select(p => p.X), points.Select(p => p.Y));
            }
            charts.Add(chart);
        }
        ChartGrid.Save(pngPath, 2, charts.ToArray());
    }
}
