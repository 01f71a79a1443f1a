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
            IReadOnlyList<string> models = parse.GetValue(last) is { } count ? NewestCheckpoints(given, count) : given;
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

    // The newest `count` checkpoints of each run folder, refusing a folder that has fewer.
    private static List<string> NewestCheckpoints(IEnumerable<string> runs, int count)
    {
        if (count < 1)
            throw new Wav2Vec2SharpException($"--last must be at least 1 (was {count}).");
        var models = new List<string>();
        foreach (var run in runs)
        {
            var store = new CheckpointStore(run, keepLast: count);
            var newest = store.Newest(count);
            if (newest.Count < count)
                throw new Wav2Vec2SharpException(newest.Count == 0
                    ? $"{run}: no checkpoints/update_N folders; --last takes the output folders of w2v pretrain or finetune."
                    : $"{run}: has {newest.Count} checkpoint{(newest.Count == 1 ? "" : "s")} ({string.Join(", ", newest.Select(Path.GetFileName))}), not {count}; train with --keep-last {count} or more.");
            models.AddRange(newest);
        }
        return models;
    }
}
