using System.CommandLine;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Runtime;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v demo</c>: the whole idea in one command, with progress bars and a report.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<DirectoryInfo?>("--out", "-o") { Description = "Output folder (corpus, models, report.md, wer.png); demo-digits, or demo-output for --task sentences" };
        var task = new Option<DemoTask>("--task") { Description = "digits (the default): connected digits (eleven words), 3 min of labels; sentences: open-vocabulary English, 10 min of labels", DefaultValueFactory = _ => DemoTask.Digits };
        var quick = new Option<bool>("--quick") { Description = "A reduced run (under 10 minutes) for smoke-testing" };
        var pretrain = new Option<bool>("--pretrain") { Description = "Pretrain here even when a pretrained model ships with the repository" };
        var pretrained = new Option<DirectoryInfo?>("--pretrained") { Description = "Fine-tune this pretrained model (e.g. from w2v pretrain) instead" };
        var augment = new Option<string?>("--augment")
        {
            Description = "On-the-fly augmentation of the fine-tuning audio of every model (as w2v finetune --augment): a comma-separated list of " +
                          "speed, pitch, formant, eq, reverb, telephone, noise, babble, gain, each optionally name:p (its probability, else 0.5), " +
                          "reverb, noise and babble also @low..high (their D/R or SNR range in dB, e.g. noise@0..15); " +
                          "'default' for the channel effects (all but pitch, formant and eq), 'none' (the default) for none",
            HelpName = "RECIPE",
        };
        var selfTrain = new Option<double>("--self-train")
        {
            Description = "Self-training: the fine-tuned pretrained model transcribes the seen speakers' unlabelled speech (at least this many hours; the same " +
                          "split that the demo pretrains on, when it pretrains), and a third model is fine-tuned from the same checkpoint on the labels and these " +
                          "transcripts together (0, the default, skips it)",
            HelpName = "HOURS",
            DefaultValueFactory = _ => 0,
        };
        var selfTrainAugment = new Option<string?>("--self-train-augment")
        {
            Description = "On-the-fly augmentation of the self-trained model's audio, in --augment's form (default: --augment's recipe)", HelpName = "RECIPE",
        };
        var selfTrainUpdates = new Option<long?>("--self-train-updates") { Description = "Fine-tuning updates of the self-trained model [default: 3000; 40 with --quick]" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = libtorch default)", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Synthesise speech, pretrain, fine-tune on minutes of labels, compare with training from scratch, report.")
        {
            outDir, task, quick, pretrain, pretrained, augment, selfTrain, selfTrainAugment, selfTrainUpdates, threads,
        };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            // an unknown effect is refused before anything is made
            var options = OptionsOf(parse.GetValue(task), parse.GetValue(outDir)?.FullName, parse.GetValue(quick), parse.GetValue(pretrain),
                parse.GetValue(pretrained)?.FullName, parse.GetValue(augment), parse.GetValue(selfTrain), parse.GetValue(selfTrainUpdates),
                parse.GetValue(selfTrainAugment));
            TorchRuntime.SetThreads(parse.GetValue(threads));
            var result = DemoPipeline.Run(options, new ConsoleObserver(error));
            output.WriteLine();
            var table = new ResultTable(["model", "test set", "WER", "CER", "WER +LM", "CER +LM"], 2, 3, 4, 5);
            foreach (var s in result.Scores)
                table.Add(s.Model, s.TestSet, $"{s.Wer:P1}", $"{s.Cer:P1}", $"{s.LmWer:P1}", $"{s.LmCer:P1}");
            table.Write(output, ResultTable.IsTerminal(output));
            output.WriteLine($"augmentation of the training audio: {options.Augmentation.Describe()}" +
                             (options.SelfTrainingAugmentation is { } student ? $"; of the self-trained model's: {student.Describe()}" : ""));
            if (result.PseudoLabels is { } labels)
                output.WriteLine(FormattableString.Invariant($"self-training: {labels.Labelled} of {labels.Clips} unlabelled clips got a pseudo-label ({labels.Seconds / 3600:0.00} h; WER {labels.Words.Rate:P1} against the spoken text)"));
            output.WriteLine($"report: {result.ReportPath} ({result.Elapsed:hh\\:mm\\:ss})");
            return CliApp.Success;
        }));
        return command;
    }

    /// <summary>The most unlabelled hours <c>--self-train</c> takes.</summary>
    internal const double MaxSelfTrainingHours = 20;

    /// <summary>The demo's options from the command line's values.</summary>
    /// <exception cref="ArgumentException">An unknown augmentation effect, or self-training hours or updates out of range.</exception>
    internal static DemoOptions OptionsOf(DemoTask task, string? outDir, bool quick, bool pretrain, string? pretrained, string? augment,
        double selfTrainingHours = 0, long? selfTrainingUpdates = null, string? selfTrainingAugment = null)
    {
        // the student holds all its audio in memory (twice with augmentation): a few hours of speech are a few GB
        if (!(selfTrainingHours >= 0 && selfTrainingHours <= MaxSelfTrainingHours))
            throw new ArgumentException($"--self-train must be between 0 and {MaxSelfTrainingHours} hours, not {selfTrainingHours.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        if (selfTrainingUpdates is < 1)
            throw new ArgumentException($"--self-train-updates must be at least 1, not {selfTrainingUpdates}.");
        if (selfTrainingUpdates is not null && selfTrainingHours == 0)
            throw new ArgumentException("--self-train-updates needs --self-train HOURS.");
        if (selfTrainingAugment is not null && selfTrainingHours == 0)
            throw new ArgumentException("--self-train-augment needs --self-train HOURS.");
        var studentRecipe = selfTrainingAugment is null ? null : AugmentationRecipe.Parse(selfTrainingAugment);
        var recipe = augment is null ? AugmentationRecipe.None : AugmentationRecipe.Parse(augment);
        var folder = outDir ?? Path.GetFullPath(task == DemoTask.Digits ? "demo-digits" : "demo-output");
        var full = task == DemoTask.Digits ? DemoOptions.Digits(folder) : new DemoOptions { OutputDirectory = folder };
        return (quick ? DemoOptions.Quick(folder) with { Task = task, LanguageModelOrder = full.LanguageModelOrder } : full) with
        {
            Pretrain = pretrain,
            PretrainedModel = pretrained,
            ShippedModel = quick ? null : ShippedModel(),
            Augmentation = recipe,
            SelfTrainingHours = selfTrainingHours,
            SelfTrainingAugmentation = studentRecipe,
        } is var options && selfTrainingUpdates is { } updates ? options with { SelfTrainingUpdates = updates } : options;
    }

    // models/small-pretrained beside the repository root, when the CLI runs from a checkout
    private static string? ShippedModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "small-pretrained");
            if (File.Exists(Path.Combine(dir.FullName, "Wav2Vec2Sharp.slnx")) && Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private sealed class ConsoleObserver(TextWriter error) : IDemoObserver
    {
        private ProgressBar? _bar;
        private string _stage = "";
        private readonly System.Diagnostics.Stopwatch _clock = new();

        public void Stage(string name)
        {
            _bar?.Finish();
            _bar = null;
            _stage = name;
            _clock.Restart();
            error.WriteLine($"== {name}");
        }

        public void Corpus(CorpusProgress p)
        {
            _bar ??= ProgressBar.ForStandardError("corpus");
            double done = Math.Min(p.Seconds, p.TargetSeconds);
            _bar.Report((long)done, (long)p.TargetSeconds, _clock.Elapsed, null, $"s of {p.Split}, {p.Synthesized} new, {p.Reused} cached");
        }

        public void Training(TrainingProgress p)
        {
            _bar ??= ProgressBar.ForStandardError(_stage.Split(' ')[0]);
            var m = p.Metrics;
            _bar.Report(p.Updates, p.MaxUpdates, p.Elapsed, p.Eta, $"loss {m.GetValueOrDefault("loss"):0.00}" +
                (m.TryGetValue("accuracy", out var acc) ? $" acc {acc:0.000}" : "") + (m.TryGetValue("dev_wer", out var wer) ? $" dev WER {wer:P1}" : ""));
        }

        public void Evaluation(int done, int total)
        {
            _bar ??= ProgressBar.ForStandardError(_stage.Split(' ')[0]);
            _bar.Report(done, total, _clock.Elapsed, null, "utterances");
        }
    }
}
