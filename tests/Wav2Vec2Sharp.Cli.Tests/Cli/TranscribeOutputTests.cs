using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v transcribe</c>: where outputs go, n-best lists, and inputs refused before anything is written.</summary>
public sealed class TranscribeOutputTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Inputs_that_would_write_the_same_file_are_refused_before_any_output()
    {
        var first = _fixture.Wav("one/talk.wav");
        var second = _fixture.Wav("two/talk.wav");
        var subs = Path.Combine(_fixture.Temp.Root, "subs");

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "srt", "--out", subs, first, second);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {first} and {second} would both write {Path.Combine(subs, "talk.srt")} (--out): rename one, or transcribe them separately.{Environment.NewLine}", error);
        Assert.False(Directory.Exists(subs));
    }

    [Fact]
    public void One_input_with_an_out_path_in_the_formats_extension_writes_that_file()
    {
        var wav = _fixture.Wav("talk.wav");
        var target = Path.Combine(_fixture.Temp.Root, "talk.srt");
        var (_, printed, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "srt", wav);

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "srt", "--out", target, wav);

        Assert.Equal((0, "", ""), (code, output, error));
        Assert.True(File.Exists(target));
        Assert.Equal(printed, File.ReadAllText(target));
    }

    [Fact]
    public void Nbest_lists_the_beam_hypotheses_best_first_with_the_transcript_on_top()
    {
        var wav = _fixture.Wav("talk.wav");

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "json", "--beam-width", "16", "--nbest", "3", wav);

        Assert.Equal((0, ""), (code, error));
        var file = JsonNode.Parse(output)!["files"]![0]!;
        var nbest = file["nbest"]!.AsArray();
        Assert.Equal(3, nbest.Count);
        Assert.Equal(file["text"]!.GetValue<string>(), nbest[0]!["text"]!.GetValue<string>());
        var scores = nbest.Select(h => h!["score"]!.GetValue<double>()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(3, nbest.Select(h => h!["text"]!.GetValue<string>()).Distinct().Count());
    }

    [Theory]
    [InlineData("text", "--beam-width", "error: --nbest lists hypotheses in JSON output: add --format json.")]
    [InlineData("json", null, "error: --nbest needs beam search: add --lm (or --beam-width, --lexicon, --hotwords).")]
    public void Nbest_without_json_or_beam_search_is_refused(string format, string? beam, string message)
    {
        var wav = _fixture.Wav("talk.wav");
        string[] args = ["transcribe", "--model", _fixture.Model, "--format", format, "--nbest", "2", wav, .. beam is null ? Array.Empty<string>() : [beam, "8"]];

        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal((1, "", message + Environment.NewLine), (code, output, error));
    }

    [Fact]
    public void A_pretraining_checkpoint_is_named_as_such()
    {
        var pretrained = Path.Combine(_fixture.Temp.Root, "pretrained");
        Directory.CreateDirectory(pretrained);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_fixture.Model, "config.json")))!;
        config["architectures"] = new JsonArray("Wav2Vec2ForPreTraining");
        File.WriteAllText(Path.Combine(pretrained, "config.json"), config.ToJsonString());
        File.Copy(Path.Combine(_fixture.Model, "model.safetensors"), Path.Combine(pretrained, "model.safetensors"));

        var (code, _, error) = CliRunner.Run("transcribe", "--model", pretrained, _fixture.Wav("talk.wav"));

        Assert.Equal(1, code);
        Assert.Equal($"error: {pretrained} is a pretrained model (Wav2Vec2ForPreTraining) without a CTC head or vocabulary: " +
                     $"fine-tune it on transcribed audio first (w2v finetune --init-from {pretrained}).{Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("--chunk-seconds", "-1", "error: --chunk-seconds must be 0 (never cut) or a positive number of seconds, not -1.")]
    [InlineData("--chunk-seconds", "NaN", "error: --chunk-seconds must be 0 (never cut) or a positive number of seconds, not NaN.")]
    [InlineData("--stride-seconds", "-2", "error: --stride-seconds must be 0 or a positive number of seconds, not -2.")]
    public void Negative_or_undefined_window_lengths_are_refused(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, option, value, _fixture.Wav("talk.wav"));

        Assert.Equal((1, "", message + Environment.NewLine), (code, output, error));
    }

    [Fact]
    public void Logits_of_a_folder_mirror_its_subfolders_so_equal_names_do_not_collide()
    {
        _fixture.Wav("in/a/talk.wav");
        _fixture.Wav("in/b/talk.wav");
        var logits = Path.Combine(_fixture.Temp.Root, "logits");

        var (code, _, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--logits-out", logits, Path.Combine(_fixture.Temp.Root, "in"));

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(File.ReadAllBytes(Path.Combine(logits, "a", "talk.npy")), File.ReadAllBytes(Path.Combine(logits, "b", "talk.npy")));
    }

    [Fact]
    public void An_out_file_name_of_another_format_is_refused_before_anything_is_written()
    {
        var wav = _fixture.Wav("talk.wav");
        var target = Path.Combine(_fixture.Temp.Root, "talk.srt");

        var (code, output, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--out", target, wav);

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"error: --out {target} ends in .srt, but --format text writes .txt: give the --format it is meant for, or a folder.{Environment.NewLine}", error);
        Assert.False(Path.Exists(target));
    }
}
