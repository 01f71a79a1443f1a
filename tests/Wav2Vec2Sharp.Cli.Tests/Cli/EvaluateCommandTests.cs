using System.Globalization;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v evaluate</c>: the interval of its WER, and manifests whose rows cannot be scored.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_manifest_without_a_scorable_row_is_an_error_and_writes_no_report()
    {
        var root = _fixture.Temp.Root;
        File.WriteAllText(Path.Combine(root, "corrupt.wav"), "RIFF not really");
        var manifest = Path.Combine(root, "dev.jsonl");
        File.WriteAllText(manifest, "{\"audio_filepath\": \"corrupt.wav\", \"text\": \"ab\"}\n{\"audio_filepath\": \"missing.wav\", \"text\": \"ab\"}\n");
        var report = Path.Combine(root, "report");

        var (code, output, error) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", report);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.EndsWith($"error: {manifest}: no utterance could be scored (bad rows: 1, unreadable audio: 1).{Environment.NewLine}", error);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void The_console_and_the_summary_give_the_same_bootstrap_interval_around_the_wer()
    {
        var manifest = ToneSpeech.WriteJsonl(_fixture.Temp, "dev", 12, 5);
        var report = Path.Combine(_fixture.Temp.Root, "report");

        var (code, output, error) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", report);

        Assert.True(code == 0, error);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "summary.json")))!.AsObject();
        double wer = (double)summary["wer"]!, low = (double)summary["wer_interval_95"]![0]!, high = (double)summary["wer_interval_95"]![1]!;
        Assert.InRange(wer, low, high);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"; 95 % interval {100 * low:0.00}–{100 * high:0.00} %), CER "), output);
    }

    [Fact]
    public void An_evaluation_against_itself_as_baseline_differs_by_nothing_and_writes_the_comparison()
    {
        var manifest = ToneSpeech.WriteJsonl(_fixture.Temp, "dev", 10, 5);
        var first = Path.Combine(_fixture.Temp.Root, "first");
        var second = Path.Combine(_fixture.Temp.Root, "second");
        Assert.Equal(0, CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", first).Code);

        var (code, output, error) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", second, "--baseline", first);

        Assert.True(code == 0, error);
        var comparison = JsonNode.Parse(File.ReadAllText(Path.Combine(second, "comparison.json")))!.AsObject();
        double wer = (double)comparison["wer"]!;
        Assert.Equal((double)JsonNode.Parse(File.ReadAllText(Path.Combine(first, "summary.json")))!["wer"]!, wer);
        Assert.Equal(10, (int)comparison["utterances"]!);
        Assert.Equal(0.0, (double)comparison["wer_difference"]!);
        Assert.Equal([0.0, 0.0], comparison["wer_difference_interval_95"]!.AsArray().Select(x => (double)x!));
        Assert.Equal(0.0, (double)comparison["share_lower"]!);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"against {first} (10 paired utterances): WER {100 * wer:0.00} % vs {100 * wer:0.00} %, 0.00 points (95 % interval 0.00 to 0.00), 1.00x (95 % interval 1.00-1.00x); lower in 0 % of draws"), output);
    }

    [Fact]
    public void A_baseline_of_other_utterances_or_without_an_evaluation_is_refused_before_any_report()
    {
        var manifest = ToneSpeech.WriteJsonl(_fixture.Temp, "dev", 6, 5);
        var other = ToneSpeech.WriteJsonl(_fixture.Temp, "other", 5, 5);
        var baseline = Path.Combine(_fixture.Temp.Root, "baseline");
        Assert.Equal(0, CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", other, "--out", baseline).Code);
        var report = Path.Combine(_fixture.Temp.Root, "report");

        var (code, _, error) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", report, "--baseline", baseline);
        var (missingCode, _, missingError) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", report, "--baseline", manifest + ".d");

        Assert.Equal(1, code);
        Assert.EndsWith($"error: --baseline {baseline}: it has 5 utterances and this evaluation 6; compare evaluations of the same utterances.{Environment.NewLine}", error);
        Assert.Equal(1, missingCode);
        Assert.EndsWith($"error: --baseline {manifest}.d: no utterances.jsonl there (give the --out folder of another w2v evaluate).{Environment.NewLine}", missingError);
        var broken = Path.Combine(_fixture.Temp.Root, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "utterances.jsonl"), "{\"reference\": \"AB\", \"substitutions\": 0, \"deletions\": 0, \"insertions\": 0, \"reference_words\": 1}\n[1, 2]\n");
        var (brokenCode, _, brokenError) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", report, "--baseline", broken);
        Assert.Equal(1, brokenCode);
        Assert.EndsWith($"error: {Path.Combine(broken, "utterances.jsonl")} line 2: not an evaluated utterance (not a JSON object).{Environment.NewLine}", brokenError);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void A_baseline_whose_references_are_not_in_the_data_is_refused_before_the_model_runs()
    {
        var manifest = ToneSpeech.WriteJsonl(_fixture.Temp, "dev", 4, 5);
        var baseline = Path.Combine(_fixture.Temp.Root, "baseline");
        Directory.CreateDirectory(baseline);
        File.WriteAllText(Path.Combine(baseline, "utterances.jsonl"),
            "{\"reference\": \"NOT SAID\", \"substitutions\": 0, \"deletions\": 0, \"insertions\": 0, \"reference_words\": 2}\n");
        var report = Path.Combine(_fixture.Temp.Root, "report");

        var (code, output, error) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", report, "--baseline", baseline);

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"error: --baseline {baseline}: its utterance 1 (\"NOT SAID\") is not among this data's 4 utterances in order; " +
                     $"compare evaluations of the same utterances in the same order (and the same --lower-case).{Environment.NewLine}", error);
        Assert.False(Directory.Exists(report));
    }
}
