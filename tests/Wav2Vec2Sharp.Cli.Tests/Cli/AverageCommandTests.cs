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

    // A run folder as w2v finetune leaves it: checkpoints/update_N for the given updates, and an interrupted save.
    private string Run(string name, params int[] updates)
    {
        var run = Path.Combine(_temp.Root, name);
        foreach (var update in updates)
        {
            TorchSharp.torch.manual_seed(update);
            using var model = new Wav2Vec2ForCtc(TinyConfig.Create());
            Wav2Vec2Pretrained.Save(model, Path.Combine(run, "checkpoints", $"update_{update:D7}"), new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]));
        }
        Directory.CreateDirectory(Path.Combine(run, "checkpoints", $".update_{updates.Max() + 1:D7}.0123.tmp"));
        return run;
    }

    private static string[] Sources(string averaged) =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(averaged, ModelAverager.ProvenanceFile)))!["sources"]!.AsArray().Select(s => Path.GetFileName(s!.GetValue<string>())!)];

    [Fact]
    public void Last_n_averages_the_newest_complete_checkpoints_of_each_run()
    {
        var first = Run("run1", 100, 200, 300);
        var second = Run("run2", 100, 200);
        var output = Path.Combine(_temp.Root, "avg");

        var (code, stdout, _) = CliRunner.Run("average", first, second, "--last", "2", "-o", output);

        Assert.Equal(0, code);
        Assert.StartsWith($"averaged 4 models (", stdout);
        Assert.Contains($"into {output}:", stdout);
        Assert.Equal(["update_0000200", "update_0000300", "update_0000100", "update_0000200"], Sources(output));
        using var model = Wav2Vec2Pretrained.LoadForCtc(output);
    }

    [Fact]
    public void Model_directories_are_averaged_as_given()
    {
        var run = Run("run", 100, 200, 300);
        var output = Path.Combine(_temp.Root, "soup");

        var (code, _, _) = CliRunner.Run("average", Path.Combine(run, "checkpoints", "update_0000300"), Path.Combine(run, "checkpoints", "update_0000100"), "-o", output);

        Assert.Equal(0, code);
        Assert.Equal(["update_0000300", "update_0000100"], Sources(output));
    }

    [Fact]
    public void A_run_with_too_few_checkpoints_or_none_is_one_error_and_no_output()
    {
        var run = Run("run", 100, 200);
        var output = Path.Combine(_temp.Root, "avg");

        var (code, stdout, error) = CliRunner.Run("average", run, "--last", "3", "-o", output);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {run}: has 2 checkpoints (update_0000100, update_0000200), not 3; train with --keep-last 3 or more.{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("average", _temp.Root, "--last", "2", "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: {_temp.Root}: no checkpoints/update_N folders; --last takes the output folders of w2v pretrain or finetune.{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("average", Path.Combine(run, "checkpoints", "update_0000100"), "-o", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: averaging needs at least two models, not 1.{Environment.NewLine}", error);
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
