using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

public sealed class AverageCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    // A run folder as w2v finetune leaves it: checkpoints/update_N for the given updates, latest.json naming the last of
    // them (or `latest`), an interrupted save, and the options file when `keepLast` is given.
    private string Run(string name, int[] updates, int? latest = null, int? keepLast = null)
    {
        var run = Path.Combine(_temp.Root, name);
        using var scope = TorchSharp.torch.NewDisposeScope();
        foreach (var update in updates)
        {
            TorchSharp.torch.manual_seed(update);
            using var model = new Wav2Vec2ForCtc(TinyConfig.Create());
            Wav2Vec2Pretrained.Save(model, Path.Combine(run, "checkpoints", $"update_{update:D7}"), new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]));
        }
        int newest = latest ?? updates.Max();
        Directory.CreateDirectory(Path.Combine(run, "checkpoints", $".update_{newest + 1:D7}.0123.tmp"));
        File.WriteAllText(Path.Combine(run, "checkpoints", "latest.json"), $"{{\"checkpoint\":\"update_{newest:D7}\",\"updates\":{newest}}}");
        if (keepLast is { } kept)
            File.WriteAllText(Path.Combine(run, "finetuning_options.json"), $"{{\"seed\": 1, \"keep_last\": {kept}}}");
        return run;
    }

    private static string[] Sources(string averaged) =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(averaged, ModelAverager.ProvenanceFile)))!["sources"]!.AsArray().Select(s => Path.GetFileName(s!.GetValue<string>())!)];

    [Fact]
    public void Last_n_averages_the_newest_complete_checkpoints_of_each_run()
    {
        var first = Run("run1", [100, 200, 300], keepLast: 3);
        var second = Run("run2", [100, 200, 900], latest: 200);
        var output = Path.Combine(_temp.Root, "avg");

        var (code, stdout, _) = CliRunner.Run("average", first, second, "--last", "2", "-o", output);

        Assert.Equal(0, code);
        Assert.StartsWith($"averaged 4 models (", stdout);
        Assert.Contains($"into {output}:", stdout);
        // run2's update_0000900 is past its latest checkpoint (left by an earlier run into the same folder)
        Assert.Equal(["update_0000200", "update_0000300", "update_0000100", "update_0000200"], Sources(output));
        using var model = Wav2Vec2Pretrained.LoadForCtc(output);
    }

    [Fact]
    public void Model_directories_are_averaged_as_given()
    {
        var run = Run("run", [100, 200, 300]);
        var output = Path.Combine(_temp.Root, "soup");

        var (code, _, _) = CliRunner.Run("average", Path.Combine(run, "checkpoints", "update_0000300"), Path.Combine(run, "checkpoints", "update_0000100"), "-o", output);

        Assert.Equal(0, code);
        Assert.Equal(["update_0000300", "update_0000100"], Sources(output));
    }

    [Fact]
    public void A_run_with_too_few_checkpoints_or_none_is_one_error_and_no_output()
    {
        var run = Run("run", [100, 200]);
        var output = Path.Combine(_temp.Root, "avg");

        var (code, stdout, error) = CliRunner.Run("average", run, "--last", "3", "-o", output);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {run}: has 2 checkpoints (update_0000100, update_0000200), not 3.{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("average", _temp.Root, "--last", "2", "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: {_temp.Root}: no checkpoints (checkpoints/latest.json and update_N folders); --last takes the output folders of w2v pretrain or finetune.{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("average", Path.Combine(run, "checkpoints", "update_0000100"), "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: averaging needs at least two models, not 1.{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("average", run, "--last", "1", "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: --last 1 of one run is one model; averaging needs at least two.{Environment.NewLine}", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_run_folder_without_last_or_last_beyond_the_runs_keep_last_is_refused()
    {
        var run = Run("run", [100, 200, 300, 400], keepLast: 3);
        var output = Path.Combine(_temp.Root, "avg");

        var (code, _, error) = CliRunner.Run("average", run, Path.Combine(run, "checkpoints", "update_0000100"), "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: {run}: is a training output folder; add --last N to average its newest checkpoints, or give {Path.Combine(run, "model")}.{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("average", run, "--last", "4", "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: {run}: the run keeps its newest 3 checkpoints (and the best), so --last 4 cannot be its newest; use --last 3 or less, or train with --keep-last 4.{Environment.NewLine}", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Keep_last_below_one_is_refused_by_finetune_and_pretrain()
    {
        var train = ToneSpeech.WriteJsonl(_temp, "train", 2, 3);
        foreach (var command in new[] { "finetune", "pretrain" })
        {
            var outDir = Path.Combine(_temp.Root, command);
            string[] args = command == "finetune"
                ? ["finetune", "--data", train, "--from-scratch", "small", "--out", outDir, "--keep-last", "0"]
                : ["pretrain", "--data", Path.Combine(_temp.Root, "train"), "--out", outDir, "--keep-last", "0"];

            var (code, _, error) = CliRunner.Run(args);

            Assert.Equal(1, code);
            Assert.Equal($"error: --keep-last must be at least 1 checkpoint, not 0.{Environment.NewLine}", error);
            Assert.False(Directory.Exists(outDir));
        }
    }
}
