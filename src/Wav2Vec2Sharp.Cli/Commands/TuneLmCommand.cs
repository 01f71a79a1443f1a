using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v tune-lm --model DIR --data MANIFEST --lm LM.arpa</c>: the model's logits computed once per utterance, then a
/// grid search over the LM weight α and word bonus β of beam-search decoding, scored by WER.
/// </summary>
internal static class TuneLmCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled data (fairseq .tsv, .jsonl, .tsv/.csv with path and sentence)", Required = true };
        var lm = new Option<FileInfo>("--lm") { Description = "ARPA n-gram language model", Required = true };
        var lmUnit = new Option<LanguageModelUnit>("--lm-unit") { Description = "Tokens of --lm: Word or Character", DefaultValueFactory = _ => LanguageModelUnit.Word };
        var alphas = new Option<string>("--alphas") { Description = "LM weights to try, comma-separated", DefaultValueFactory = _ => "0,0.25,0.5,0.75,1,1.5,2" };
        var betas = new Option<string>("--betas") { Description = "Word bonuses to try, comma-separated", DefaultValueFactory = _ => "-1,0,0.5,1,1.5,2" };
        var beamWidth = new Option<int>("--beam-width") { Description = "Beam width", DefaultValueFactory = _ => BeamSearchOptions.Default.BeamWidth };
        var outFile = new Option<FileInfo?>("--out", "-o") { Description = "Write a JSON summary of the grid here" };
        var lowerCase = new Option<bool>("--lower-case") { Description = "Compare lower-cased text (default: upper-cased)" };
        var threads = new Option<int>("--threads") { Description = ModelEngines.ThreadsDescription, DefaultValueFactory = _ => 0 };
        var engine = ModelEngines.CreateOption();
        var command = new Command("tune-lm", "Grid-search the LM weight and word bonus of beam-search decoding on a labelled set.")
        {
            model, engine, data, lm, lmUnit, alphas, betas, beamWidth, outFile, lowerCase, threads,
        };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            var alphaValues = ParseList(parse.GetValue(alphas)!, "--alphas");
            var betaValues = ParseList(parse.GetValue(betas)!, "--betas");
            int width = parse.GetValue(beamWidth);
            if (width < 1)
                throw new ArgumentException($"--beam-width must be at least 1, got {width}");
            var languageModel = NGramLanguageModel.Load(parse.GetValue(lm)!.FullName);
            using var transcriber = ModelEngines.Load(parse.GetValue(model)!.FullName, parse.GetValue(engine)!, parse.GetValue(threads));
            var normalizer = new TextNormalizer(new TextNormalizerOptions { Case = parse.GetValue(lowerCase) ? LetterCase.Lower : LetterCase.Upper });
            var manifest = LabelledManifest.Read(parse.GetValue(data)!, new LabelledManifestOptions { Normalizer = normalizer });
            foreach (var bad in manifest.BadRows)
                error.WriteLine($"skipped: {bad}");

            var bar = ProgressBar.ForStandardError("logits");
            var clock = Stopwatch.StartNew();
            var logits = ModelEvaluation.ComputeLogits(transcriber, manifest,
                new SynchronousProgress<CountProgress>(p => bar.Report(p.Done, p.Total, clock.Elapsed, TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / p.Done * (p.Total - p.Done)), "")),
                (path, problem) => error.WriteLine($"skipped: {path}: {problem}"));
            bar.Finish();
            if (logits.Count == 0)
                throw new Wav2Vec2SharpException($"{manifest.FilePath}: no utterance could be transcribed");
            var greedyWer = ModelEvaluation.Score(logits, new GreedyCtcDecoder(transcriber.Vocabulary), normalizer).WordErrorRate;

            output.WriteLine($"{"alpha",6} {"beta",6} {"WER",8} {"CER",8}");
            clock.Restart();
            var options = BeamSearchOptions.Default with { BeamWidth = width, LanguageModelUnit = parse.GetValue(lmUnit) };
            var grid = LanguageModelWeightSearch.Search(logits, transcriber.Vocabulary, languageModel, normalizer, alphaValues, betaValues, options,
                g => output.WriteLine(FormattableString.Invariant($"{g.Alpha,6:0.###} {g.Beta,6:0.###} {g.Wer,8:P2} {g.Cer,8:P2}")));
            var best = LanguageModelWeightSearch.Best(grid);
            output.WriteLine(FormattableString.Invariant(
                $"best: alpha {best.Alpha:0.###} beta {best.Beta:0.###} WER {best.Wer:P2} (greedy {greedyWer:P2}), {logits.Count} utterances, {grid.Count} settings in {clock.Elapsed.TotalSeconds:0.#} s"));
            if (parse.GetValue(outFile) is { } file)
                WriteSummary(file.FullName, parse.GetValue(lm)!.FullName, width, logits.Count, greedyWer, grid, best);
            return manifest.BadRows.Count == 0 && logits.Count == manifest.Utterances.Count ? CliApp.Success : CliApp.Failure;
        }));
        return command;
    }

    private static double[] ParseList(string text, string name)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new ArgumentException($"{name}: \"{part}\" is not a number");
            values.Add(value);
        }
        return values.Count > 0 ? values.ToArray() : throw new ArgumentException($"{name} lists no value");
    }

    private static void WriteSummary(string path, string lm, int width, int utterances, double greedyWer,
        List<LanguageModelWeights> grid, LanguageModelWeights best)
    {
        var summary = new JsonObject
        {
            ["lm"] = lm,
            ["beam_width"] = width,
            ["utterances"] = utterances,
            ["greedy_wer"] = greedyWer,
            ["best"] = new JsonObject { ["alpha"] = best.Alpha, ["beta"] = best.Beta, ["wer"] = best.Wer, ["cer"] = best.Cer },
            ["grid"] = new JsonArray(grid.Select(g => (JsonNode)new JsonObject { ["alpha"] = g.Alpha, ["beta"] = g.Beta, ["wer"] = g.Wer, ["cer"] = g.Cer }).ToArray()),
        };
        AtomicFile.WriteAllText(path, summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
