using Wav2Vec2Sharp.Runtime;
using System.Globalization;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.LanguageModels;
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
/// <param name="Words">Word error counts of greedy decoding.</param>
/// <param name="LmWer">Word error rate of beam search with the demo's n-gram LM (null when the demo ran without one).</param>
/// <param name="LmCer">Character error rate of beam search with the LM.</param>
/// <param name="LmWeights">The LM weight α and word bonus β, tuned on the dev set for this model.</param>
public sealed record DemoScore(string Model, string TestSet, double Wer, double Cer, ErrorCounts Words,
    double? LmWer = null, double? LmCer = null, LanguageModelWeights? LmWeights = null);

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
        DemoTaskMarker.Claim(root, options.Task);

        observer.Stage("corpus");
        var sentences = options.Task == DemoTask.Digits ? SentenceSource.ConnectedDigits(options.DigitStrings, options.Seed) : null;
        string? given = options.PretrainedModel
                        ?? (!options.Pretrain && options.ShippedModel is { } shipped && Directory.Exists(shipped) ? shipped : null);
        var corpus = CorpusSynthesizer.Synthesize(new CorpusOptions
        {
            // unlabelled audio is only needed when the demo pretrains
            OutputDirectory = Path.Combine(root, "corpus"), Seed = options.Seed, UnlabelledHours = given is null ? options.UnlabelledHours : 0,
            LabelledSets = [new LabelledSet("train_labelled", options.LabelledMinutes)],
            DevMinutes = options.EvaluationMinutes, TestMinutes = options.EvaluationMinutes, Sentences = sentences,
        }, new SynchronousProgress<CorpusProgress>(observer.Corpus), cancellation);
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
        var evaluationSets = new[] { ("dev", "dev"), ("seen speakers", "test_seen"), ("unseen speakers", "test_unseen") }
            .Select(e => (Name: e.Item1, Split: e.Item2, Manifest: LabelledManifest.Read(Split(e.Item2), new LabelledManifestOptions { Normalizer = normalizer })))
            .ToList();

        DemoLanguageModel? lm = null;
        NGramLanguageModel? languageModel = null;
        if (options.LanguageModelOrder > 0)
        {
            observer.Stage("language model");
            lm = DemoLanguageModel.Build(Path.Combine(root, "lm"), sentences ?? SentenceSource.FromSystem(),
                evaluationSets.SelectMany(e => e.Manifest.Utterances.Select(u => u.Text)), normalizer, options.LanguageModelOrder);
            languageModel = NGramLanguageModel.Load(lm.ArpaPath);
        }

        var runs = new[]
        {
            (Name: "pretrained", Folder: "finetune_pretrained", Init: (string?)pretrained, Recipe: recipe),
            (Name: "from scratch", Folder: "finetune_scratch", Init: (string?)null, Recipe: recipe with { FreezeFeatureEncoder = false, FreezeBodyUpdates = 0 }),
        };
        var scores = new List<DemoScore>();
        var devCurves = new List<(string Model, IReadOnlyList<DevPoint> Points)>();
        foreach (var run in runs)
        {
            observer.Stage($"fine-tune {run.Name}");
            TorchSharp.torch.manual_seed(options.Seed);
            var output = Path.Combine(root, run.Folder);
            using (var model = FineTuningRun.CreateModel(run.Init, architecture, data.Vocabulary, run.Recipe))
            {
                var tuner = new FineTuner(model, data.Vocabulary, run.Recipe, output, featureExtractor, normalizer);
                tuner.Run(train, dev, resume: true, new SynchronousProgress<TrainingProgress>(observer.Training), cancellation);
                Training.TrainingCurves.DrawFor(output, Training.TrainingCurves.FineTuningPanels);
            }
            devCurves.Add((run.Name, DemoReport.DevCurve(Path.Combine(output, "metrics.jsonl"))));
            using var transcriber = Transcriber.Load(Path.Combine(output, "model"));
            observer.Stage($"evaluate {run.Name}");
            // the dev set is decoded only to tune the LM weights
            var decoded = evaluationSets.Where(e => languageModel is not null || e.Split != "dev").ToList();
            int total = decoded.Sum(e => e.Manifest.Utterances.Count), before = 0;
            var logits = new Dictionary<string, List<UtteranceLogits>>();
            foreach (var set in decoded)
            {
                logits[set.Split] = ModelEvaluation.ComputeLogits(transcriber, set.Manifest, new SynchronousProgress<CountProgress>(p => observer.Evaluation(before + (int)p.Done, total)));
                before += set.Manifest.Utterances.Count;
            }
            var beam = BeamSearchOptions.Default with { BeamWidth = options.BeamWidth };
            var weights = languageModel is null ? null : LanguageModelWeightSearch.Best(LanguageModelWeightSearch.Search(
                logits["dev"], transcriber.Vocabulary, languageModel, normalizer, options.LmAlphas, options.LmBetas, beam));
            foreach (var set in evaluationSets.Where(e => e.Split != "dev"))
            {
                var greedy = ModelEvaluation.Score(logits[set.Split], new GreedyCtcDecoder(transcriber.Vocabulary), normalizer);
                var folder = Path.Combine(output, "eval_" + set.Split);
                Directory.CreateDirectory(folder);
                greedy.WriteSummary(Path.Combine(folder, "summary.json"));
                greedy.WriteUtterancesTsv(Path.Combine(folder, "utterances.tsv"));
                EvaluationReport? withLm = null;
                if (weights is not null)
                {
                    withLm = ModelEvaluation.Score(logits[set.Split],
                        new BeamSearchCtcDecoder(transcriber.Vocabulary, languageModel, beam with { Alpha = weights.Alpha, Beta = weights.Beta }), normalizer);
                    withLm.WriteSummary(Path.Combine(folder, "summary_lm.json"));
                    withLm.WriteUtterancesTsv(Path.Combine(folder, "utterances_lm.tsv"));
                }
                scores.Add(new DemoScore(run.Name, set.Name, greedy.WordErrorRate, greedy.CharacterErrorRate, greedy.WordCounts,
                    withLm?.WordErrorRate, withLm?.CharacterErrorRate, weights));
            }
        }

        var wer = new GroupedBarChart("Word error rate after fine-tuning on " + options.LabelledMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min of labels"
                               + (options.Task == DemoTask.Digits ? " (connected digits)" : ""))
        {
            YLabel = "WER (%)",
        };
        foreach (var score in scores)
        {
            wer.Add(score.TestSet, score.Model + " (greedy)", 100 * score.Wer);
            if (score.LmWer is { } lmWer)
                wer.Add(score.TestSet, score.Model + " (+LM)", 100 * lmWer);
        }
        wer.Save(Path.Combine(root, "wer.png"));
        var reportPath = Path.Combine(root, "report.md");
        AtomicFile.WriteAllText(reportPath, DemoReport.Markdown(options, corpus, data, pretrained, lm, scores, devCurves, clock.Elapsed));
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
        PretrainingRun.Run(model, recipe, Split("unlabelled"), Split("dev"), output, resume: true, new SynchronousProgress<TrainingProgress>(observer.Training), null, cancellation);
        Training.TrainingCurves.DrawFor(output, Training.TrainingCurves.PretrainingPanels);
        return Path.Combine(output, "model");
    }
}
