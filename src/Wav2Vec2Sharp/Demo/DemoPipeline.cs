using System.Globalization;
using System.Text;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Plotting;
using Wav2Vec2Sharp.Text;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Demo;

/// <summary>Receives the demo's progress.</summary>
public interface IDemoObserver
{
    /// <summary>A new stage begins.</summary>
    void Stage(string name);

    /// <summary>Corpus synthesis progress.</summary>
    void Corpus(CorpusProgress progress);

    /// <summary>Training progress of the current stage.</summary>
    void Training(TrainingProgress progress);

    /// <summary>Evaluation progress of the current stage.</summary>
    void Evaluation(int done, int total);
}

/// <summary>One row of the result table.</summary>
/// <param name="Model">"pretrained" or "from scratch".</param>
/// <param name="TestSet">"seen speakers" or "unseen speakers".</param>
/// <param name="Wer">Greedy word error rate.</param>
/// <param name="Cer">Greedy character error rate.</param>
/// <param name="Words">Word error counts.</param>
public sealed record DemoScore(string Model, string TestSet, double Wer, double Cer, ErrorCounts Words);

/// <summary>The demo's outcome.</summary>
/// <param name="Scores">WER/CER of both models on both test sets.</param>
/// <param name="ReportPath">The markdown report.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record DemoResult(IReadOnlyList<DemoScore> Scores, string ReportPath, TimeSpan Elapsed);

/// <summary>
/// The project's claim end to end: synthesise speech → pretrain on unlabelled audio (or use a shipped pretrained
/// model) → fine-tune it with CTC on minutes of labels → fine-tune the same architecture from random weights on the
/// same labels for the same number of updates → evaluate both on seen- and unseen-speaker tests → report.
/// </summary>
public static class DemoPipeline
{
    /// <summary>Runs the demo.</summary>
    public static DemoResult Run(DemoOptions options, IDemoObserver observer, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var root = options.OutputDirectory;
        Directory.CreateDirectory(root);

        observer.Stage("corpus");
        string? given = options.PretrainedModel
                        ?? (!options.Pretrain && options.ShippedModel is { } shipped && Directory.Exists(shipped) ? shipped : null);
        var corpus = CorpusSynthesizer.Synthesize(new CorpusOptions
        {
            // unlabelled audio is only needed when the demo pretrains
            OutputDirectory = Path.Combine(root, "corpus"), Seed = options.Seed, UnlabelledHours = given is null ? options.UnlabelledHours : 0,
            LabelledSets = [new LabelledSet("train_labelled", options.LabelledMinutes)],
            DevMinutes = options.EvaluationMinutes, TestMinutes = options.EvaluationMinutes,
        }, new ImmediateProgress<CorpusProgress>(observer.Corpus), cancellation);
        string Split(string name) => corpus.Splits.First(s => s.Name == name).JsonlPath;
        TorchRuntime.Settle();

        string pretrained = given ?? Pretrain(options, corpus, observer, cancellation);

        var normalizer = TextNormalizer.Default;
        var architecture = ModelDirectory.ReadConfig(pretrained);
        var featureExtractor = ModelDirectory.ReadFeatureExtractor(pretrained, architecture);
        var recipe = FineTuningOptions.Small with
        {
            Seed = options.Seed, MaxUpdates = options.FineTuneUpdates, FreezeBodyUpdates = options.FreezeUpdates,
            MaxTokens = options.FineTuneMaxTokens, ValidateEveryUpdates = Math.Max(10, options.FineTuneUpdates / 4),
            SaveEveryUpdates = Math.Max(10, options.FineTuneUpdates / 4),
        };
        var (train, dev, data) = FineTuningRun.LoadData(Split("train_labelled"), Split("dev"), null, normalizer, featureExtractor, architecture, recipe.MaskTimeLength);

        var runs = new[]
        {
            (Name: "pretrained", Folder: "finetune_pretrained", Init: (string?)pretrained, Recipe: recipe),
            (Name: "from scratch", Folder: "finetune_scratch", Init: (string?)null, Recipe: recipe with { FreezeFeatureEncoder = false, FreezeBodyUpdates = 0 }),
        };
        var scores = new List<DemoScore>();
        foreach (var run in runs)
        {
            observer.Stage($"fine-tune {run.Name}");
            TorchSharp.torch.manual_seed(options.Seed);
            var output = Path.Combine(root, run.Folder);
            using (var model = FineTuningRun.CreateModel(run.Init, architecture, data.Vocabulary, run.Recipe))
            {
                var tuner = new FineTuner(model, data.Vocabulary, run.Recipe, output, featureExtractor, normalizer);
                tuner.Progress += observer.Training;
                tuner.Run(train, dev, resume: true, cancellation);
            }
            using var transcriber = Transcriber.Load(Path.Combine(output, "model"));
            foreach (var (testSet, split) in new[] { ("seen speakers", "test_seen"), ("unseen speakers", "test_unseen") })
            {
                observer.Stage($"evaluate {run.Name} on {testSet}");
                var manifest = LabelledManifest.Read(Split(split), new LabelledManifestOptions { Normalizer = normalizer });
                var (report, _) = ModelEvaluation.Evaluate(transcriber, manifest, normalizer, (done, total, _) => observer.Evaluation(done, total));
                var folder = Path.Combine(output, "eval_" + split);
                Directory.CreateDirectory(folder);
                report.WriteSummary(Path.Combine(folder, "summary.json"));
                report.WriteUtterancesTsv(Path.Combine(folder, "utterances.tsv"));
                scores.Add(new DemoScore(run.Name, testSet, report.WordErrorRate, report.CharacterErrorRate, report.WordCounts));
            }
        }

        var wer = new BarChart("Word error rate after fine-tuning on " + options.LabelledMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min of labels")
        {
            YLabel = "WER (%)",
        };
        foreach (var score in scores)
            wer.Add(score.TestSet, score.Model, 100 * score.Wer);
        wer.Save(Path.Combine(root, "wer.png"));
        var reportPath = Path.Combine(root, "report.md");
        AtomicFile.WriteAllText(reportPath, Report(options, corpus, data, pretrained, scores, clock.Elapsed));
        return new DemoResult(scores, reportPath, clock.Elapsed);
    }

    private static string Pretrain(DemoOptions options, CorpusResult corpus, IDemoObserver observer, CancellationToken cancellation)
    {
        observer.Stage("pretrain");
        var output = Path.Combine(options.OutputDirectory, "pretrain");
        var recipe = PretrainingOptions.Small with
        {
            Seed = options.Seed, MaxUpdates = options.PretrainUpdates, WarmupUpdates = Math.Max(5, options.PretrainUpdates / 10),
            SaveEveryUpdates = Math.Max(10, options.PretrainUpdates / 6), ValidateEveryUpdates = Math.Max(10, options.PretrainUpdates / 6),
        };
        TorchSharp.torch.manual_seed(options.Seed);
        using var model = PretrainingRun.ResumableConfig(output) is { } resumed ? new Wav2Vec2ForPreTraining(resumed) : new Wav2Vec2ForPreTraining(Presets.Small);
        string Split(string name) => corpus.Splits.First(s => s.Name == name).TsvPath;
        PretrainingRun.Run(model, recipe, Split("unlabelled"), Split("dev"), output, resume: true, observer.Training, null, cancellation);
        return Path.Combine(output, "model");
    }

    private static string Report(DemoOptions options, CorpusResult corpus, FineTuningData data, string pretrained, List<DemoScore> scores, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine("# Wav2Vec2Sharp demo: pretraining versus training from scratch").AppendLine();
        text.AppendLine($"Fine-tuned on {data.TrainUtterances} utterances ({data.TrainSeconds / 60:0.0} min) of synthetic speech, " +
                        $"{options.FineTuneUpdates} updates each; greedy CTC decoding, no language model. Total time {elapsed:hh\\:mm\\:ss}.").AppendLine();
        text.AppendLine("| model | test set | WER | CER | substitutions | deletions | insertions | words |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var s in scores)
            text.AppendLine($"| {s.Model} | {s.TestSet} | {s.Wer:P1} | {s.Cer:P1} | {s.Words.Substitutions} | {s.Words.Deletions} | {s.Words.Insertions} | {s.Words.ReferenceLength} |");
        text.AppendLine().AppendLine("![WER](wer.png)").AppendLine();
        text.AppendLine("## Settings").AppendLine();
        text.AppendLine($"- pretrained model: `{pretrained}`");
        text.AppendLine($"- corpus: `{corpus.ReportPath}` ({corpus.Duration.TotalHours:0.00} h; splits: " +
                        string.Join(", ", corpus.Splits.Select(s => $"{s.Name} {s.Duration.TotalMinutes:0.0} min / {s.SpeakerIds.Count} speakers")) + ")");
        var recipe = FineTuningOptions.Small;
        text.AppendLine($"- fine-tuning: recipe `small`, {options.FineTuneUpdates} updates, peak learning rate {recipe.PeakLr:g3} (tri-stage), " +
                        $"batches of ≤ {options.FineTuneMaxTokens} padded samples, time masking {recipe.MaskTimeProb:g3}, layerdrop {recipe.Layerdrop:g3}, " +
                        $"best checkpoint by dev {recipe.BestCheckpointMetric.ToUpperInvariant()}; the pretrained model keeps its CNN frozen and trains only the CTC head " +
                        $"for the first {options.FreezeUpdates} updates; the from-scratch model trains every weight from the start");
        text.AppendLine("- curves: `pretrain/curves.png` (when pretrained here), `finetune_pretrained/curves.png`, `finetune_scratch/curves.png`");
        return text.ToString();
    }

    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _lock = new();

        public void Report(T value)
        {
            lock (_lock)
                report(value);
        }
    }
}
