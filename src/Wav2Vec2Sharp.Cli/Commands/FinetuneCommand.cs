using Wav2Vec2Sharp.Runtime;
using System.CommandLine;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Text;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v finetune --data train.tsv --dev dev.tsv --init-from PRETRAINED --out DIR</c>: CTC fine-tuning.</summary>
internal static class FinetuneCommand
{
    public static Command Create(TextWriter output, TextWriter error, Distributed.ICommunicator world)
    {
        var data = new Option<string[]>("--data") { Description = "Labelled training data: fairseq .tsv (+ .ltr/.wrd), .jsonl, or a .tsv/.csv with path and sentence columns; repeat to train on several sets together (e.g. labels and w2v pseudo-label's output)", Required = true };
        var dev = new Option<string?>("--dev") { Description = "Labelled dev data for WER/CER during training (the best checkpoint is kept: by dev CER with the small recipe, by dev WER with base-10m)" };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder: checkpoints/, metrics.jsonl, curves.png, model/", Required = true };
        var initFrom = new Option<DirectoryInfo?>("--init-from") { Description = "Wav2vec2 directory to start from (ours or Hugging Face): a pretrained model gets a new CTC head; a model fine-tuned with CTC already continues with its own head and vocabulary (unless --new-head)" };
        var newHead = new Option<bool>("--new-head") { Description = "With --init-from a fine-tuned CTC model: train a new CTC head, with a vocabulary built from the training text (or --vocab), instead of continuing its own" };
        var preset = new Option<string?>("--from-scratch") { Description = $"Train every weight (CNN included, no head-only phase) from random initialisation with this preset ({string.Join(", ", Presets.Names)})" };
        var recipe = new Option<string>("--recipe") { Description = $"Fine-tuning recipe: {string.Join(" or ", FineTuningOptions.RecipeNames)} (small: CPU, minutes of labels; base-10m: fairseq's)", DefaultValueFactory = _ => "small" };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "Use this vocab.json instead of building one from the training text" };
        var freeze = new Option<long?>("--freeze-updates") { Description = "Updates during which only the CTC head learns" };
        var patience = new Option<int?>("--early-stopping") { Description = "Stop after N validations without a better dev score (the metric that picks the best checkpoint)" };
        var lowerCase = new Option<bool>("--lower-case") { Description = "Lower-case transcripts instead of upper-casing them" };
        var maskTime = new Option<double?>("--mask-time-prob") { Description = "Time-masking rate (spans of 10 frames)" };
        var maskChannel = new Option<double?>("--mask-channel-prob") { Description = "Channel-masking rate" };
        var trainCnn = new Option<bool>("--train-feature-encoder") { Description = "Train the CNN feature encoder too (it stays frozen by default when fine-tuning a pretrained model)" };
        var reinit = new Option<int?>("--reinit-layers") { Description = "Give the top N Transformer layers of the pretrained model fresh random weights before fine-tuning" };
        var initSeed = new Option<int?>("--init-seed") { Description = "Seed of the weights drawn rather than loaded (the new CTC head, --reinit-layers, or all with --from-scratch); default --seed. Runs that share it can be averaged with w2v average" };
        var saveEvery = new Option<long?>("--save-every") { Description = "Checkpoint every N updates (the recipe's: small 250, base-10m 1000); with --keep-last, the checkpoints w2v average --last can average" };
        var command = new Command("finetune", "Fine-tune a pretrained model with CTC on transcribed speech.")
        {
            data, dev, outDir, initFrom, newHead, preset, recipe, vocab, freeze, patience, lowerCase, maskTime, maskChannel, trainCnn, reinit, initSeed, saveEvery,
        };
        var run = new TrainingArguments();
        run.AddTo(command);
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            TorchRuntime.SetThreads(run.ThreadsOf(parse));
            var outPath = parse.GetValue(outDir)!.FullName;
            var baseOptions = run.Bind(parse, FineTuningOptions.ForRecipe(parse.GetValue(recipe)!), world);
            var options = baseOptions with
            {
                FreezeBodyUpdates = parse.GetValue(freeze) ?? baseOptions.FreezeBodyUpdates,
                EarlyStoppingPatience = parse.GetValue(patience) ?? baseOptions.EarlyStoppingPatience,
                MaskTimeProb = parse.GetValue(maskTime) ?? baseOptions.MaskTimeProb,
                MaskChannelProb = parse.GetValue(maskChannel) ?? baseOptions.MaskChannelProb,
                FreezeFeatureEncoder = baseOptions.FreezeFeatureEncoder && !parse.GetValue(trainCnn),
                ReinitializedTopLayers = parse.GetValue(reinit) ?? baseOptions.ReinitializedTopLayers,
                InitSeed = parse.GetValue(initSeed) ?? baseOptions.InitSeed,
                SaveEveryUpdates = parse.GetValue(saveEvery) ?? baseOptions.SaveEveryUpdates,
            };
            options.Validate();
            TorchRuntime.ResolveDevice(options.Device); // refuse an unusable device before reading any data
            run.CheckOutputFolder(parse, outPath, options.UpdateFrequency, output, error, world);
            var initPath = parse.GetValue(initFrom)?.FullName;
            var scratch = parse.GetValue(preset);
            if ((initPath is null) == (scratch is null))
                throw new Wav2Vec2SharpException("give exactly one of --init-from DIR (fine-tune a pretrained model) or --from-scratch PRESET.");
            if (scratch is not null && options.ReinitializedTopLayers != 0)
                throw new Wav2Vec2SharpException("--reinit-layers needs --init-from: a model from scratch has no pretrained layers.");
            if (scratch is not null)
                options = options with { FreezeFeatureEncoder = false, FreezeBodyUpdates = 0 }; // nothing pretrained to protect: train every weight
            var resumeFrom = parse.GetValue(run.Resume) ? new CheckpointStore(outPath, options.KeepLast).Latest() : null;
            var architecture = resumeFrom is not null ? ModelDirectory.ReadConfig(resumeFrom)
                : initPath is not null ? ModelDirectory.ReadConfig(initPath) : Presets.ByName(scratch!);
            if (initPath is not null && resumeFrom is null && (options.ReinitializedTopLayers < 0 || options.ReinitializedTopLayers > architecture.NumHiddenLayers))
                throw new Wav2Vec2SharpException($"--reinit-layers {options.ReinitializedTopLayers}: {initPath} has {architecture.NumHiddenLayers} Transformer layers (give 0 to {architecture.NumHiddenLayers}).");
            var featureExtractor = initPath is not null ? ModelDirectory.ReadFeatureExtractor(initPath, architecture) : FeatureExtractorConfig.For(architecture) with { DoNormalize = false };
            var normalizer = new TextNormalizer(new TextNormalizerOptions { Case = parse.GetValue(lowerCase) ? LetterCase.Lower : LetterCase.Upper });
            var givenVocabulary = parse.GetValue(vocab) is { } vocabFile ? Vocabulary.Load(vocabFile.FullName) : null;
            var headVocabulary = initPath is not null && resumeFrom is null && !parse.GetValue(newHead) ? FineTuningRun.CtcVocabularyOf(initPath) : null;
            if (headVocabulary is not null)
            {
                if (givenVocabulary is not null && !FineTuningRun.SameTokens(givenVocabulary, headVocabulary))
                    throw new Wav2Vec2SharpException($"--vocab {parse.GetValue(vocab)!.FullName} differs from the vocabulary of the CTC model in --init-from {initPath}; " +
                                                     "add --new-head to train a new head for it.");
                // continuing a fine-tuned head: nothing new to warm up before the body learns
                options = options with { KeepCtcHead = true, FreezeBodyUpdates = parse.GetValue(freeze) ?? 0 };
            }
            var vocabulary = resumeFrom is not null ? Vocabulary.Load(Path.Combine(resumeFrom, "vocab.json")) : headVocabulary ?? givenVocabulary;

            var loading = ProgressBar.ForStandardError("loading");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (train, devClips, report) = FineTuningRun.LoadData(parse.GetValue(data)!, parse.GetValue(dev), vocabulary, normalizer, featureExtractor,
                architecture, options.MaskTimeLength, keepRawTrainingAudio: !options.Augmentation.IsEmpty, new SynchronousProgress<CountProgress>(p => loading.Report(p.Done, p.Total, clock.Elapsed, null, "utterances")));
            loading.Finish();
            var job = run.Parallel(parse, world);
            foreach (var bad in job.IsRoot ? report.BadRows : [])
                error.WriteLine($"skipped: {bad}");
            foreach (var path in job.IsRoot ? report.TooShort : [])
                error.WriteLine($"skipped: {path}: too short for its transcript");
            if (options.KeepCtcHead && job.IsRoot)
                output.WriteLine($"continuing the CTC head of {initPath} ({report.Vocabulary.Count} tokens); --new-head draws a new one");
            if (options.KeepCtcHead && report.UnknownCharacters > 0 && job.IsRoot)
                error.WriteLine($"warning: {report.UnknownCharacters} transcript characters are not in the vocabulary of {initPath} and train as " +
                                $"{report.Vocabulary.UnkToken}; --new-head builds a vocabulary from the training text.");
            output.WriteLine($"train: {report.TrainUtterances} utterances ({report.TrainSeconds / 60:0.#} min), dev: {report.DevUtterances}, " +
                             $"vocabulary: {report.Vocabulary.Count} tokens, unknown characters: {report.UnknownCharacters}, skipped: {report.BadRows.Count + report.TooShort.Count}");

            TorchSharp.torch.manual_seed(options.InitSeed ?? options.Seed);   // the trainer reseeds from --seed before the first batch
            using var model = FineTuningRun.CreateModel(resumeFrom is null ? initPath : null, architecture, report.Vocabulary, options);
            if (world.Size > 1)
                output.WriteLine(TrainingArguments.Describe(world, options.UpdateFrequency, options.MaxTokens, options.Device));
            var tuner = new FineTuner(model, report.Vocabulary, options, outPath, featureExtractor, normalizer, job);
            output.WriteLine($"fine-tuning {model.parameters().Sum(p => p.numel()):N0} parameters for {options.MaxUpdates} updates into {outPath}; " +
                             $"augmentation: {options.Augmentation.Describe()}");
            var bar = ProgressBar.ForStandardError("finetune");
            var progress = new SynchronousProgress<TrainingProgress>(p => bar.Report(p.Updates, p.MaxUpdates, p.Elapsed, p.Eta,
                $"loss {p.Metrics.GetValueOrDefault("loss"):0.00} lr {p.Metrics.GetValueOrDefault("lr"):0.0e0}" +
                (p.Metrics.TryGetValue("dev_wer", out var wer) ? $" dev WER {wer:P1}" : "") + (p.Metrics.GetValueOrDefault("body_frozen") > 0 ? " (head only)" : "")));
            var state = CliApp.WithCtrlC(token => tuner.Run(train, devClips, parse.GetValue(run.Resume), progress, token));
            bar.Finish();
            if (world.Rank == 0)
                TrainingCurves.DrawFor(outPath, TrainingCurves.FineTuningPanels);
            output.WriteLine(state.Stopped
                ? $"stopped at update {state.Updates}; resume with --resume"
                : $"done: {state.Updates} updates" + (state.BestValidLoss is { } best ? $", best dev {options.BestCheckpointMetric.ToUpperInvariant()} {best:P2} at update {state.BestUpdate}" : "") +
                  $"; model in {Path.Combine(outPath, "model")}");
            return state.Stopped ? CliApp.Stopped : CliApp.Success;
        }));
        return command;
    }
}
