using System.CommandLine;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v manifest FOLDER -o train.tsv</c>: a fairseq manifest (root, then path TAB samples) of every readable clip.</summary>
internal static class ManifestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder searched recursively for .wav, .flac, .mp3, .ogg, .opus and .webm files" };
        var outPath = new Option<FileInfo>("--output", "-o") { Description = "Manifest to write (.tsv)", Required = true };
        var command = new Command("manifest", "Write a fairseq-style manifest of an audio folder, with each clip's length at 16 kHz.") { folder, outPath };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            var bar = ProgressBar.ForStandardError("scanning");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var summary = ManifestBuilder.Build(parse.GetValue(folder)!.FullName, parse.GetValue(outPath)!.FullName,
                new SynchronousProgress<ManifestProgress>(p => bar.Report(p.Done, p.Total, clock.Elapsed, null, $"{p.Skipped} skipped")));
            bar.Finish();
            foreach (var skipped in summary.Skipped)
                error.WriteLine($"skipped: {skipped.Path}: {skipped.Reason}");
            output.WriteLine($"{summary.ManifestPath}: {summary.FilesWritten} files, {summary.TotalHours:0.###} h ({summary.Skipped.Count} skipped)");
            return CliApp.Success;
        }));
        return command;
    }
}
