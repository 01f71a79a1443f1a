using System.CommandLine;
using System.Globalization;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.SelfTraining;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v pseudo-label --model DIR --data UNLABELLED --out pseudo.jsonl</c>: self-training's first half. A fine-tuned model
/// (best with <c>--lm</c> or <c>--lexicon</c>) transcribes unlabelled audio, and the transcripts at or above
/// <c>--min-confidence</c> are written as a JSON-lines manifest that <c>w2v finetune --data</c> takes beside the human labels.
/// </summary>
internal static class PseudoLabelCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory (the teacher)", Required = true };
        var data = new Option<string>("--data") { Description = "Unlabelled audio: a fairseq .tsv manifest (as w2v pretrain reads) or a folder of audio files", Required = true };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "The JSON-lines manifest to write (audio_filepath, text, duration, confidence)", Required = true };
        var minConfidence = new Option<double>("--min-confidence")
        {
            Description = "Keep only clips whose confidence (geometric mean of the emitted tokens' frame posteriors) is at least this, in [0, 1]",
            DefaultValueFactory = _ => 0,
        };
        var threads = new Option<int>("--threads") { Description = ModelEngines.ThreadsDescription, DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Transcribe this many clips together", DefaultValueFactory = _ => 1 };
        var engine = ModelEngines.CreateOption();
        var command = new Command("pseudo-label", "Transcribe unlabelled audio with a fine-tuned model into a labelled manifest for self-training (w2v finetune --data labels --data pseudo).")
        {
            model, engine, data, outFile, minConfidence, threads, batchSize,
        };
        var decoding = new DecoderOptions();
        decoding.AddTo(command);
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            double floor = parse.GetValue(minConfidence);
            if (!(floor >= 0 && floor <= 1))
                throw new ArgumentException($"--min-confidence must be in [0, 1], not {floor.ToString(CultureInfo.InvariantCulture)}.");
            if (parse.GetValue(batchSize) < 1)
                throw new ArgumentException($"--batch-size must be at least 1, not {parse.GetValue(batchSize)}.");
            var dataPath = parse.GetValue(data)!;
            int unreadable = 0;
            var manifest = AudioManifest.Open(dataPath, skipped =>
            {
                unreadable++;
                error.WriteLine($"skipped: {skipped.Path}: {skipped.Reason}");
            });
            if (manifest.Entries.Count == 0)
                throw new ManifestException(dataPath, null, "no audio to label");
            using var teacher = ModelEngines.Load(parse.GetValue(model)!.FullName, parse.GetValue(engine)!, parse.GetValue(threads),
                decoding.WantsBeamSearch(parse) ? vocabulary => decoding.Create(parse, vocabulary) : null);
            var bar = ProgressBar.ForStandardError("pseudo-label");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = PseudoLabeller.Label(teacher, manifest.Entries.Select(e => e.Path).ToList(), floor, parse.GetValue(batchSize),
                new SynchronousProgress<CountProgress>(p => bar.Report(p.Done, p.Total, clock.Elapsed,
                    TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / p.Done * (p.Total - p.Done)), "clips")),
                (path, problem) =>
                {
                    unreadable++;
                    error.WriteLine($"skipped: {path}: {problem}");
                });
            bar.Finish();
            var outPath = parse.GetValue(outFile)!.FullName;
            if (result.Labels.Count == 0)
            {
                throw new Wav2Vec2SharpException($"{dataPath}: no clip was labelled ({result.Transcribed} transcribed: {result.BelowConfidence} below " +
                    $"--min-confidence {floor.ToString(CultureInfo.InvariantCulture)}, {result.Empty} with an empty transcript; {unreadable} unreadable); {outPath} was not written.");
            }
            PseudoLabeller.WriteJsonl(outPath, result.Labels);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"labelled {result.Labels.Count} of {manifest.Entries.Count} clips ({result.Labels.Sum(l => l.DurationSeconds) / 60:0.#} min, mean confidence " +
                $"{result.Labels.Average(l => l.Confidence):0.000}) into {outPath}; left out: {result.BelowConfidence} below --min-confidence, " +
                $"{result.Empty} empty, {unreadable} unreadable; {result.AudioSeconds / clock.Elapsed.TotalSeconds:0.#} audio-s/s"));
            return unreadable == 0 ? CliApp.Success : CliApp.Failure;
        }));
        return command;
    }
}
