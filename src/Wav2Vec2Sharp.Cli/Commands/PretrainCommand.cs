using Wav2Vec2Sharp.Runtime;
using System.CommandLine;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v pretrain --data DIR --out DIR</c>: self-supervised pretraining with checkpoints and exact resume.</summary>
internal static class PretrainCommand
{
    public static Command Create(TextWriter output, TextWriter error, Distributed.ICommunicator world)
    {
        var data = new Option<string>("--data") { Description = "Unlabelled audio: a folder (recursive) or a fairseq manifest (.tsv)", Required = true };
        var valid = new Option<string?>("--valid") { Description = "Validation audio (folder or manifest)" };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder: checkpoints/, metrics.jsonl, model/", Required = true };
        var preset = new Option<string>("--preset") { Description = $"Architecture and recipe: {string.Join(", ", Presets.Names)}", DefaultValueFactory = _ => "small" };
        var config = new Option<FileInfo?>("--config") { Description = "Architecture from an HF config.json instead of the preset" };
        var initFrom = new Option<DirectoryInfo?>("--init-from") { Description = "Start from an HF Wav2Vec2ForPreTraining checkpoint (e.g. facebook/wav2vec2-base)" };
        var warmup = new Option<long?>("--warmup") { Description = "Warmup updates" };
        var saveEvery = new Option<long?>("--save-every") { Description = "Checkpoint every N updates" };
        var clip = new Option<double?>("--clip-norm") { Description = "Gradient-norm clipping (0 = none)" };
        var maskProb = new Option<double?>("--mask-prob") { Description = "Probability of a frame starting a masked span (0.65 in the paper)" };
        var maskLength = new Option<int?>("--mask-length") { Description = "Frames per masked span (10 in the paper)" };
        var negatives = new Option<int?>("--num-negatives") { Description = "Distractors per masked frame (100 in the paper, 50 in the small preset)" };
        var maxSampleSize = new Option<int?>("--max-sample-size") { Description = "Clips are randomly cropped to at most this many samples (250000 in the paper)" };
        var featureGradMult = new Option<double?>("--feature-grad-mult") { Description = "Scale of the gradient into the CNN feature encoder (0.1 for base, 1 for large; 0 freezes it)" };
        var command = new Command("pretrain", "Pretrain wav2vec 2.0 on unlabelled audio (contrastive task over quantized latent speech units).")
        {
            data, valid, outDir, preset, config, initFrom, warmup, saveEvery, clip, maskProb, maskLength, negatives, maxSampleSize, featureGradMult,
        };
        var run = new TrainingArguments();
        run.AddTo(command);
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            TorchRuntime.SetThreads(run.ThreadsOf(parse));
            var outPath = parse.GetValue(outDir)!.FullName;
            var presetName = parse.GetValue(preset)!;
            var options = run.Bind(parse, PretrainingOptions.ForPreset(presetName), world);
            options = options with
            {
                WarmupUpdates = parse.GetValue(warmup) ?? options.WarmupUpdates,
                SaveEveryUpdates = parse.GetValue(saveEvery) ?? options.SaveEveryUpdates,
                ClipNorm = parse.GetValue(clip) ?? options.ClipNorm,
                MaskProb = parse.GetValue(maskProb) ?? options.MaskProb,
                MaskLength = parse.GetValue(maskLength) ?? options.MaskLength,
                NumNegatives = parse.GetValue(negatives) ?? options.NumNegatives,
                MaxSampleSize = parse.GetValue(maxSampleSize) ?? options.MaxSampleSize,
                Loss = options.Loss with { FeatureGradMult = parse.GetValue(featureGradMult) ?? options.Loss.FeatureGradMult },
            };
            options.Validate();
            TorchRuntime.ResolveDevice(options.Device); // refuse an unusable device before reading any data
            run.CheckOutputFolder(parse, outPath, options.UpdateFrequency, output, error, world);

            TorchSharp.torch.manual_seed(options.Seed); // the initial weights follow the seed too
            using var model = BuildModel(outPath, parse.GetValue(run.Resume), parse.GetValue(initFrom)?.FullName, parse.GetValue(config)?.FullName, presetName);
            long parameters = model.parameters().Sum(p => p.numel());
            output.WriteLine($"pretraining {parameters:N0} parameters for {options.MaxUpdates} updates into {outPath}; augmentation: {options.Augmentation.Describe()}");
            var job = run.Parallel(parse, world);
            if (world.Size > 1)
                output.WriteLine(TrainingArguments.Describe(world, options.UpdateFrequency, options.MaxTokens, options.Device));
            var bar = ProgressBar.ForStandardError("pretrain");
            var state = CliApp.WithCtrlC(token => PretrainingRun.Run(model, options, parse.GetValue(data)!, parse.GetValue(valid), outPath,
                parse.GetValue(run.Resume), new SynchronousProgress<TrainingProgress>(p => bar.Report(p.Updates, p.MaxUpdates, p.Elapsed, p.Eta, Describe(p.Metrics))),
                s => { if (job.IsRoot) error.WriteLine($"skipped: {s.Path}: {s.Reason}"); }, token, job));
            bar.Finish();
            if (world.Rank == 0)
                TrainingCurves.DrawFor(outPath, TrainingCurves.PretrainingPanels);
            output.WriteLine(state.Stopped
                ? $"stopped at update {state.Updates}; resume with --resume"
                : $"done: {state.Updates} updates, {state.AudioSeconds / 3600:0.##} h of audio, {state.SkippedSteps} skipped steps; model in {Path.Combine(outPath, "model")}");
            return state.Stopped ? CliApp.Stopped : CliApp.Success;
        }));
        return command;
    }

    private static Wav2Vec2ForPreTraining BuildModel(string outPath, bool resume, string? initFrom, string? configPath, string preset)
    {
        if (resume && PretrainingRun.ResumableConfig(outPath) is { } resumed)
            return new Wav2Vec2ForPreTraining(resumed);
        if (initFrom is not null)
        {
            var model = Wav2Vec2Pretrained.LoadForPreTraining(initFrom);
            model.train();
            return model;
        }
        var config = configPath is not null ? ConfigJson.ReadModelConfig(configPath) : Presets.ByName(preset);
        return new Wav2Vec2ForPreTraining(config);
    }

    private static string Describe(IReadOnlyDictionary<string, double> m) =>
        $"loss {m.GetValueOrDefault("loss"):0.000} acc {m.GetValueOrDefault("accuracy"):0.000} ppl {m.GetValueOrDefault("prob_perplexity"):0.0} " +
        $"τ {m.GetValueOrDefault("temperature"):0.000} lr {m.GetValueOrDefault("lr"):0.0e0} {m.GetValueOrDefault("audio_seconds_per_second"):0.0} audio-s/s";
}
