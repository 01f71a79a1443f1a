using System.CommandLine;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v average MODEL... -o OUT</c>: the mean of the weights of several models of one architecture (a model soup of
/// fine-tunings from one pretrained model); <c>w2v average RUN... --last N -o OUT</c>: of the newest N checkpoints of each
/// training run (checkpoint averaging).
/// </summary>
internal static class AverageCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var inputs = new Argument<string[]>("models")
        {
            Description = "Model directories (HF layout or checkpoints/update_N), or with --last training output folders",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "The averaged model directory to write", Required = true };
        var last = new Option<int?>("--last") { Description = "Average the newest N checkpoints of each training output folder given (w2v pretrain/finetune --out; keep enough with --keep-last)" };
        var command = new Command("average", "Average the weights of models of one architecture: the last checkpoints of a run, or fine-tunings of one pretrained model.")
        {
            inputs, outDir, last,
        };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            var given = parse.GetValue(inputs)!;
            IReadOnlyList<string> models;
            if (parse.GetValue(last) is { } count)
            {
                models = NewestCheckpoints(given, count);
                if (models.Count < 2)
                    throw new Wav2Vec2SharpException($"--last {count} of one run is one model; averaging needs at least two.");
            }
            else
            {
                models = given;
                if (given.FirstOrDefault(IsRunFolder) is { } run)
                    throw new Wav2Vec2SharpException($"{run}: is a training output folder; add --last N to average its newest checkpoints, or give {Path.Combine(run, "model")}.");
            }
            var bar = ProgressBar.ForStandardError("averaging");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = ModelAverager.Average(models, parse.GetValue(outDir)!.FullName,
                new SynchronousProgress<(int Done, int Total)>(p => bar.Report(p.Done, p.Total, clock.Elapsed, null, "models")));
            bar.Finish();
            output.WriteLine($"averaged {result.Sources.Count} models ({result.Parameters:N0} parameters each) into {result.Directory}:");
            foreach (var source in result.Sources)
                output.WriteLine($"  {source}");
            return CliApp.Success;
        }));
        return command;
    }

    // A folder with checkpoints/ and no config.json: what w2v pretrain and finetune write into --out.
    private static bool IsRunFolder(string path) =>
        Directory.Exists(Path.Combine(path, "checkpoints")) && !File.Exists(Path.Combine(path, "config.json"));

    // The newest `count` checkpoints of each run folder. Refused: a folder that is not a run, one that saved fewer, and a
    // count above the run's --keep-last, which would reach back to the best checkpoint the run also keeps.
    private static List<string> NewestCheckpoints(IEnumerable<string> runs, int count)
    {
        if (count < 1)
            throw new Wav2Vec2SharpException($"--last must be at least 1 (was {count}).");
        var models = new List<string>();
        foreach (var run in runs)
        {
            if (!Directory.Exists(run))
                throw new Wav2Vec2SharpException($"{run}: training output folder not found.");
            if (KeptByRun(run) is { } kept && count > kept)
                throw new Wav2Vec2SharpException($"{run}: the run keeps its newest {kept} checkpoints (and the best), so --last {count} cannot be its newest; use --last {kept} or less, or train with --keep-last {count}.");
            var newest = new CheckpointStore(run, keepLast: count).Newest(count);
            if (newest.Count == 0)
                throw new Wav2Vec2SharpException($"{run}: no checkpoints (checkpoints/latest.json and update_N folders); --last takes the output folders of w2v pretrain or finetune.");
            if (newest.Count < count)
                throw new Wav2Vec2SharpException($"{run}: has {newest.Count} checkpoint{(newest.Count == 1 ? "" : "s")} ({string.Join(", ", newest.Select(Path.GetFileName))}), not {count}.");
            models.AddRange(newest);
        }
        return models;
    }

    // keep_last from the run's options file, when it records one.
    private static int? KeptByRun(string run)
    {
        foreach (var name in new[] { FineTuningRun.OptionsFile, PretrainingRun.OptionsFile })
        {
            var path = Path.Combine(run, name);
            if (!File.Exists(path))
                continue;
            try
            {
                return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))?["keep_last"]?.GetValue<int>();
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                throw new Wav2Vec2SharpException($"{path}: not a readable options file ({e.Message.Split('.')[0]}).", e);
            }
        }
        return null;
    }
}
