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
/// <param name="Model">"pretrained", "pretrained + self-training" or "from scratch".</param>
/// <param name="TestSet">"seen speakers", "unseen speakers", or a channel-shift set of the seen speakers ("seen, telephone", …; see <see cref="DemoPipeline.TestSets"/>).</param>
/// <param name="Wer">Greedy word error rate.</param>
/// <param name="Cer">Greedy character error rate.</param>
/// <param name="Words">Word error counts of greedy decoding.</param>
/// <param name="LmWer">Word error rate of beam search with the demo's n-gram LM (null when the demo ran without one).</param>
/// <param name="LmCer">Character error rate of beam search with the LM.</param>
/// <param name="LmWeights">The LM weight α and word bonus β, tuned on the dev set for this model.</param>
public sealed record DemoScore(string Model, string TestSet, double Wer, double Cer, ErrorCounts Words,
    double? LmWer = null, double? LmCer = null, LanguageModelWeights? LmWeights = null);

/// <summary>The demo's outcome.</summary>
/// <param name="Scores">WER/CER of every model on every test set.</param>
/// <param name="ReportPath">The markdown report.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="PseudoLabels">What the self-training teacher transcribed (null when the demo did not self-train).</param>
public sealed record DemoResult(IReadOnlyList<DemoScore> Scores, string ReportPath, TimeSpan Elapsed, DemoPseudoLabels? PseudoLabels = null);

/// <summary>
/// The project's claim end to end: synthesise speech → pretrain on unlabelled audio (or use a shipped pretrained
/// model) → fine-tune it with CTC on minutes of labels → optionally self-train (<see cref="DemoOptions.SelfTrainingHours"/>:
/// that model transcribes unlabelled audio, and a third model is fine-tuned from the pretrained checkpoint on the labels
/// and the transcripts) → fine-tune the same architecture from random weights on the same labels for the same number of
/// updates → evaluate every model on seen- and unseen-speaker tests and on the seen-speaker test heard through other
/// channels (telephone, MP3, reverberation, noise) → report.
/// </summary>
public static class DemoPipeline
{
    /// <summary>
    /// The sets every model is scored on, in the order of the report's rows: the seen- and unseen-speaker tests, then the
    /// channel-shift sets of <see cref="DemoOptions.ChannelTests"/> (the dev set, used only for model selection, is not one).
    /// </summary>
    internal static IReadOnlyList<(string Name, string Split)> TestSets(DemoOptions options) =>
    [
        ("seen speakers", CorpusOptions.TestSeenName), ("unseen speakers", CorpusOptions.TestUnseenName),
        .. options.ChannelTests.Distinct().Select(c => (ChannelTestName(c), ChannelTestSplit(c))),
    ];

    /// <summary>The row label of a channel-shift test set.</summary>
    internal static string ChannelTestName(ChannelTest channel) => channel switch
    {
        ChannelTest.Telephone => "seen, telephone",
        ChannelTest.Mp3 => "seen, MP3 16 kb/s",
        ChannelTest.Reverb => "seen, reverberant",
        ChannelTest.Noise10 => "seen, noise 10 dB",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>The corpus split of a channel-shift test set: <c>test_seen_telephone</c>, <c>test_seen_mp3</c>, ….</summary>
    internal static string ChannelTestSplit(ChannelTest channel) => $"{CorpusOptions.TestSeenName}_{channel.ToString().ToLowerInvariant()}";

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
            // unlabelled audio is needed when the demo pretrains or self-trains (both then use the same split)
            OutputDirectory = Path.Combine(root, "corpus"), Seed = options.Seed,
            UnlabelledHours = Math.Max(given is null ? options.UnlabelledHours : 0, options.SelfTrainingHours),
            LabelledSets = [new LabelledSet("train_labelled", options.LabelledMinutes)],
            DevMinutes = options.EvaluationMinutes, TestMinutes = options.EvaluationMinutes, Sentences = sentences,
            ChannelTests = options.ChannelTests,
        }, new SynchronousProgress<CorpusProgress>(observer.Corpus), cancellation);
        string Split(string name) => corpus.Splits.First(s => s.Name == name).JsonlPath;
        TorchRuntime.Settle();

        string pretrained = given ?? Pretrain(options, corpus, observer, cancellation);
        // every run this demo would resume must have started from these weights: refused before anything trains
        var starts = new StartingPoints(DemoRunFolder.StartingWeights(pretrained, pretrained), DemoRunFolder.StartingWeights(null, pretrained));
        DemoRunFolder.CheckStartingWeights([
            (Path.Combine(root, "finetune_pretrained"), starts.Pretrained),
            .. options.SelfTrainingHours > 0 ? [(Path.Combine(root, SelfTrainingFolder), starts.Pretrained)] : Array.Empty<(string, string)>(),
            (Path.Combine(root, "finetune_scratch"), starts.Scratch),
        ], pretrained);

        var normalizer = TextNormalizer.Default;
        var architecture = ModelDirectory.ReadConfig(pretrained);
        var featureExtractor = ModelDirectory.ReadFeatureExtractor(pretrained, architecture);
        var recipe = WithUpdates(FineTuningOptions.Small with
        {
            Seed = options.Seed, FreezeBodyUpdates = options.FreezeUpdates, MaxTokens = options.FineTuneMaxTokens, Augmentation = options.Augmentation,
        }, options.FineTuneUpdates);
        var (train, dev, data) = FineTuningRun.LoadData(Split("train_labelled"), Split("dev"), null, normalizer, featureExtractor, architecture, recipe.MaskTimeLength,
            keepRawTrainingAudio: !options.Augmentation.IsEmpty);
        var evaluationSets = TestSets(options).Prepend<(string Name, string Split)>(("dev", CorpusOptions.DevName))
            .Select(e => (e.Name, e.Split, Manifest: LabelledManifest.Read(Split(e.Split), new LabelledManifestOptions { Normalizer = normalizer })))
            .ToList();

        // what the unlabelled audio says, when the demo self-trains on it
        var unlabelled = options.SelfTrainingHours > 0
            ? LabelledManifest.Read(Split(CorpusOptions.UnlabelledName), new LabelledManifestOptions { Normalizer = normalizer }).Utterances
            : [];

        DemoLanguageModel? lm = null;
        NGramLanguageModel? languageModel = null;
        if (options.LanguageModelOrder > 0)
        {
            observer.Stage("language model");
            // the LM never saw a dev or test transcript, nor, when the demo self-trains, what the unlabelled audio says
            var heldOut = evaluationSets.SelectMany(e => e.Manifest.Utterances.Select(u => u.Text)).Concat(unlabelled.Select(u => u.Text));
            lm = DemoLanguageModel.Build(Path.Combine(root, "lm"), sentences ?? SentenceSource.FromSystem(), heldOut, normalizer, options.LanguageModelOrder);
            languageModel = NGramLanguageModel.Load(lm.ArpaPath);
        }

        var context = new RunContext(options, observer, architecture, featureExtractor, normalizer, evaluationSets, languageModel,
            BeamSearchOptions.Default with { BeamWidth = options.BeamWidth }, starts, cancellation);
        var scores = new List<DemoScore>();
        var devCurves = new List<(string Model, IReadOnlyList<DevPoint> Points)>();
        LanguageModelWeights? FineTune(string name, string output, string? init, FineTuningOptions runRecipe, List<LabelledClip> runTrain, List<LabelledClip> runDev,
            FineTuningData runData)
        {
            var run = FineTuneAndScore(context, name, output, init, runRecipe, runTrain, runDev, runData);
            scores.AddRange(run.Scores);
            devCurves.Add((name, run.Curve));
            return run.Weights;
        }

        var teacherWeights = FineTune("pretrained", Path.Combine(root, "finetune_pretrained"), pretrained, recipe, train, dev, data);
        DemoPseudoLabels? pseudoLabels = null;
        if (options.SelfTrainingHours > 0)
        {
            observer.Stage("pseudo-label");
            pseudoLabels = DemoSelfTraining.Label(Path.Combine(root, "finetune_pretrained", "model"), lm?.ArpaPath, languageModel, teacherWeights, context.Beam,
                Split(CorpusOptions.UnlabelledName), unlabelled, Path.Combine(root, SelfTrainingFolder), normalizer,
                new SynchronousProgress<CountProgress>(p => observer.Evaluation((int)p.Done, (int)p.Total)), cancellation);
        }
        // a teacher that transcribed nothing (e.g. after a few updates) leaves nothing to self-train on; the report says so
        if (pseudoLabels is { Labelled: > 0 })
        {
            var folder = Path.GetDirectoryName(pseudoLabels.ManifestPath)!;
            var (studentTrain, studentDev, studentData) = FineTuningRun.LoadData([Split("train_labelled"), pseudoLabels.ManifestPath], Split("dev"), data.Vocabulary,
                normalizer, featureExtractor, architecture, recipe.MaskTimeLength, keepRawTrainingAudio: !options.StudentAugmentation.IsEmpty);
            var studentRecipe = WithUpdates(recipe with { Augmentation = options.StudentAugmentation }, options.SelfTrainingUpdates);
            FineTune(SelfTrainedModel, folder, pretrained, studentRecipe, studentTrain, studentDev, studentData);
        }
        FineTune("from scratch", Path.Combine(root, "finetune_scratch"), null, recipe with { FreezeFeatureEncoder = false, FreezeBodyUpdates = 0 }, train, dev, data);

        var wer = WerChart(options, scores);
        wer.Save(Path.Combine(root, "wer.png"), width: WerChartWidth(options));
        var reportPath = Path.Combine(root, "report.md");
        AtomicFile.WriteAllText(reportPath, DemoReport.Markdown(options, corpus, data, pretrained, lm, scores, devCurves, clock.Elapsed, pseudoLabels));
        return new DemoResult(scores, reportPath, clock.Elapsed, pseudoLabels);
    }

    /// <summary>The model name of the self-trained run in the report.</summary>
    internal const string SelfTrainedModel = "pretrained + self-training";

    /// <summary>The folder of the self-training run: its pseudo-labels, checkpoints and model.</summary>
    internal const string SelfTrainingFolder = "finetune_self_training";

    /// <summary>The recipe for <paramref name="updates"/> updates, validated and saved every quarter of them (at least every 10).</summary>
    private static FineTuningOptions WithUpdates(FineTuningOptions recipe, long updates) => recipe with
    {
        MaxUpdates = updates, ValidateEveryUpdates = Math.Max(10, updates / 4), SaveEveryUpdates = Math.Max(10, updates / 4),
    };

    /// <summary>What every fine-tuning run of one demo shares.</summary>
    private sealed record RunContext(DemoOptions Options, IDemoObserver Observer, Wav2Vec2Config Architecture, FeatureExtractorConfig FeatureExtractor,
        TextNormalizer Normalizer, IReadOnlyList<(string Name, string Split, LabelledManifest Manifest)> EvaluationSets, NGramLanguageModel? LanguageModel,
        BeamSearchOptions Beam, StartingPoints Starts, CancellationToken Cancellation);

    /// <summary>What the demo's runs start from (<see cref="DemoRunFolder.StartingWeights"/>), hashed once per demo.</summary>
    private sealed record StartingPoints(string Pretrained, string Scratch);

    /// <summary>
    /// Fine-tunes one model into <paramref name="output"/> (resuming what is there), then scores it greedily and, with the
    /// LM, with weights tuned on the dev set, on every test set.
    /// </summary>
    private static (IReadOnlyList<DemoScore> Scores, IReadOnlyList<DevPoint> Curve, LanguageModelWeights? Weights) FineTuneAndScore(RunContext context,
        string name, string output, string? init, FineTuningOptions recipe, List<LabelledClip> train, List<LabelledClip> dev, FineTuningData data)
    {
        var (options, observer, languageModel) = (context.Options, context.Observer, context.LanguageModel);
        observer.Stage($"fine-tune {name}");
        TorchSharp.torch.manual_seed(options.Seed);
        DemoRunFolder.CheckAugmentation(output, recipe.Augmentation);
        DemoRunFolder.ClaimStartingWeights(output, init is null ? context.Starts.Scratch : context.Starts.Pretrained, init ?? "scratch");
        using (var model = FineTuningRun.CreateModel(init, context.Architecture, data.Vocabulary, recipe))
        {
            var tuner = new FineTuner(model, data.Vocabulary, recipe, output, context.FeatureExtractor, context.Normalizer);
            tuner.Run(train, dev, resume: true, new SynchronousProgress<TrainingProgress>(observer.Training), context.Cancellation);
            context.Cancellation.ThrowIfCancellationRequested();
            Training.TrainingCurves.DrawFor(output, Training.TrainingCurves.FineTuningPanels);
        }
        var curve = DemoReport.DevCurve(Path.Combine(output, "metrics.jsonl"));
        using var transcriber = Transcriber.Load(Path.Combine(output, "model"));
        observer.Stage($"evaluate {name}");
        // the dev set is decoded only to tune the LM weights
        var decoded = context.EvaluationSets.Where(e => languageModel is not null || e.Split != "dev").ToList();
        int total = decoded.Sum(e => e.Manifest.Utterances.Count), before = 0;
        var logits = new Dictionary<string, List<UtteranceLogits>>();
        foreach (var set in decoded)
        {
            logits[set.Split] = ModelEvaluation.ComputeLogits(transcriber, set.Manifest, new SynchronousProgress<CountProgress>(p => observer.Evaluation(before + (int)p.Done, total)));
            before += set.Manifest.Utterances.Count;
        }
        var weights = languageModel is null ? null : LanguageModelWeightSearch.Best(LanguageModelWeightSearch.Search(
            logits["dev"], transcriber.Vocabulary, languageModel, context.Normalizer, options.LmAlphas, options.LmBetas, context.Beam));
        var scores = new List<DemoScore>();
        foreach (var set in context.EvaluationSets.Where(e => e.Split != "dev"))
        {
            var greedy = ModelEvaluation.Score(logits[set.Split], new GreedyCtcDecoder(transcriber.Vocabulary), context.Normalizer);
            var folder = Path.Combine(output, "eval_" + set.Split);
            Directory.CreateDirectory(folder);
            greedy.WriteSummary(Path.Combine(folder, "summary.json"));
            greedy.WriteUtterancesTsv(Path.Combine(folder, "utterances.tsv"));
            EvaluationReport? withLm = null;
            if (weights is not null)
            {
                withLm = ModelEvaluation.Score(logits[set.Split],
                    new BeamSearchCtcDecoder(transcriber.Vocabulary, languageModel, context.Beam with { Alpha = weights.Alpha, Beta = weights.Beta }), context.Normalizer);
                withLm.WriteSummary(Path.Combine(folder, "summary_lm.json"));
                withLm.WriteUtterancesTsv(Path.Combine(folder, "utterances_lm.tsv"));
            }
            scores.Add(new DemoScore(name, set.Name, greedy.WordErrorRate, greedy.CharacterErrorRate, greedy.WordCounts,
                withLm?.WordErrorRate, withLm?.CharacterErrorRate, weights));
        }
        return (scores, curve, weights);
    }

    /// <summary>The bars of <c>wer.png</c>: a group per test set, greedy and +LM bars of every model.</summary>
    internal static GroupedBarChart WerChart(DemoOptions options, IEnumerable<DemoScore> scores)
    {
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
        return wer;
    }

    /// <summary>The width of <c>wer.png</c>: the default, or wider for more than four test sets or a third model, so that
    /// the sets' names and the bars' values stay apart.</summary>
    internal static int WerChartWidth(DemoOptions options) =>
        Math.Max(GroupedBarChart.DefaultWidth, (options.SelfTrainingHours > 0 ? 240 : 160) * TestSets(options).Count);

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
