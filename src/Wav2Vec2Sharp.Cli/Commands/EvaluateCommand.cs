using System.CommandLine;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v evaluate --model DIR --data MANIFEST</c>: greedy WER and CER with substitution/deletion/insertion counts. Under
/// <c>mpirun</c> the utterances are split across ranks and rank 0 writes the report of the whole set in input order.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter output, TextWriter error, Distributed.ICommunicator world)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled data (fairseq .tsv, .jsonl, .tsv/.csv with path and sentence)", Required = true };
        var outDir = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write summary.json, utterances.tsv and utterances.jsonl here" };
        var lowerCase = new Option<bool>("--lower-case") { Description = "Compare lower-cased text (default: upper-cased)" };
        var threads = new Option<int>("--threads") { Description = ModelEngines.ThreadsDescription, DefaultValueFactory = _ => 0 };
        var engine = ModelEngines.CreateOption();
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Transcribe this many clips together (length-sorted, padded Transformer batches; each transcript equals the clip's own)",
            DefaultValueFactory = _ => 1,
        };
        var baseline = new Option<DirectoryInfo?>("--baseline")
        {
            Description = "Compare with another evaluation of the same utterances (the --out folder of an earlier w2v evaluate): " +
                          "the paired bootstrap's WER difference and ratio with 95 % intervals, also written to comparison.json",
        };
        var command = new Command("evaluate", "Transcribe a labelled set and report WER and CER (greedy, or beam search with --lm).") { model, engine, data, outDir, lowerCase, threads, batchSize, baseline };
        var decoding = new DecoderOptions();
        decoding.AddTo(command);
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            if (parse.GetValue(batchSize) < 1)
                throw new ArgumentException($"--batch-size must be at least 1, not {parse.GetValue(batchSize)}.");
            var against = parse.GetValue(baseline) is { } baselineFolder && world.Rank == 0 ? EvaluationBaseline.Read(baselineFolder.FullName) : null;
            using var transcriber = ModelEngines.Load(parse.GetValue(model)!.FullName, parse.GetValue(engine)!, parse.GetValue(threads),
                decoding.WantsBeamSearch(parse) ? vocabulary => decoding.Create(parse, vocabulary) : null);
            var normalizer = new TextNormalizer(new TextNormalizerOptions { Case = parse.GetValue(lowerCase) ? LetterCase.Lower : LetterCase.Upper });
            var manifest = LabelledManifest.Read(parse.GetValue(data)!, new LabelledManifestOptions { Normalizer = normalizer });
            foreach (var bad in world.Rank == 0 ? manifest.BadRows : [])
                error.WriteLine($"skipped: {bad}");
            against?.CheckAgainst(manifest.Utterances.Select(u => normalizer.Normalize(u.Text)).ToArray()); // before the model runs
            var bar = ProgressBar.ForStandardError("evaluate");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int failures = 0;
            var (report, audioSeconds) = ModelEvaluation.Evaluate(transcriber, manifest, normalizer,
                new SynchronousProgress<EvaluationProgress>(p => bar.Report(p.Done, p.Total, clock.Elapsed,
                    TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / p.Done * (p.Total - p.Done)), $"WER {p.Running.WordErrorRate:P1}")),
                (path, problem) =>
                {
                    failures++;
                    error.WriteLine($"skipped: {path}: {problem}");
                }, world, parse.GetValue(batchSize));
            bar.Finish();
            if (world.Rank != 0)
                return CliApp.Success; // rank 0 reports for the whole job
            if (report.Utterances.Count == 0)
                throw new Wav2Vec2SharpException($"{parse.GetValue(data)}: no utterance could be scored (bad rows: {manifest.BadRows.Count}, unreadable audio: {failures}).");
            var comparison = against?.Compare(report);
            if (parse.GetValue(outDir) is { } folder)
            {
                Directory.CreateDirectory(folder.FullName);
                report.WriteSummary(Path.Combine(folder.FullName, "summary.json"));
                report.WriteUtterancesTsv(Path.Combine(folder.FullName, "utterances.tsv"));
                report.WriteUtterancesJsonl(Path.Combine(folder.FullName, "utterances.jsonl"));
                if (comparison is not null)
                    AtomicFile.WriteAllText(Path.Combine(folder.FullName, "comparison.json"), against!.Json(comparison));
            }
            var w = report.WordCounts;
            var interval = report.WordErrorRateInterval();
            var range = interval.IsDefined ? FormattableString.Invariant($"; 95 % interval {100 * interval.Low:0.00}–{100 * interval.High:0.00} %") : "";
            output.WriteLine($"WER {report.WordErrorRate:P2} (S {w.Substitutions}, D {w.Deletions}, I {w.Insertions} of {w.ReferenceLength} words{range}), " +
                             $"CER {report.CharacterErrorRate:P2}, {report.Utterances.Count} utterances, {audioSeconds / clock.Elapsed.TotalSeconds:0.#} audio-s/s");
            if (comparison is not null)
                output.WriteLine(against!.Describe(comparison));
            return failures == 0 && manifest.BadRows.Count == 0 ? CliApp.Success : CliApp.Failure;
        }));
        return command;
    }
}
