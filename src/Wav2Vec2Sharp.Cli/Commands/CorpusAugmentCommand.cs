using System.CommandLine;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Cli.Console;
using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v corpus augment --data dev.jsonl --augment RECIPE -o dev_aug.jsonl</c>: a fixed augmented copy of a labelled
/// manifest, e.g. a dev set with other speakers' formants and other channels for choosing checkpoints and LM weights.
/// </summary>
internal static class CorpusAugmentCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = new Option<FileInfo>("--data") { Description = "Labelled manifest to copy (JSONL, fairseq .tsv with .ltr/.wrd, or TSV/CSV with a header)", Required = true };
        var outPath = new Option<FileInfo>("--out", "-o") { Description = "The augmented manifest to write (NAME.jsonl; its clips go into NAME/ beside it)", Required = true };
        var augment = new Option<string>("--augment")
        {
            Description = "The effects, as w2v finetune --augment (e.g. formant,eq,reverb:0.5@-5..5,noise:0.5@0..15)",
            HelpName = "RECIPE",
            Required = true,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of every draw", DefaultValueFactory = _ => 1 };
        var copies = new Option<int>("--copies") { Description = "Augmented copies of each clip", DefaultValueFactory = _ => 1 };
        var includeOriginal = new Option<bool>("--include-original") { Description = "Also list each clip unchanged, before its copies" };
        var command = new Command("augment", "Write a fixed augmented copy of a labelled manifest (clips through an augmentation recipe, same transcripts).")
        {
            data, outPath, augment, seed, copies, includeOriginal,
        };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            var recipe = AugmentationRecipe.Parse(parse.GetValue(augment)!);
            if (recipe.IsEmpty)
                throw new Wav2Vec2SharpException("--augment: the recipe applies nothing; name at least one effect.");
            int count = parse.GetValue(copies);
            if (count < 1)
                throw new Wav2Vec2SharpException($"--copies must be at least 1 (was {count}).");
            var bar = ProgressBar.ForStandardError("augmenting");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = ManifestAugmenter.Write(parse.GetValue(data)!.FullName, parse.GetValue(outPath)!.FullName, recipe, parse.GetValue(seed), count,
                parse.GetValue(includeOriginal), new SynchronousProgress<(int Done, int Total)>(p => bar.Report(p.Done, p.Total, clock.Elapsed, null, "clips")));
            bar.Finish();
            foreach (var row in result.LeftOut)
                error.WriteLine($"left out: {row}");
            output.WriteLine($"{result.ManifestPath}: {result.Clips} clips, {result.Duration.TotalMinutes:0.0} min ({recipe.Describe()}, seed {parse.GetValue(seed)})");
            return CliApp.Success;
        }));
        return command;
    }
}
