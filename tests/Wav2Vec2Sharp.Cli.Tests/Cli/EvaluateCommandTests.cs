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
}
