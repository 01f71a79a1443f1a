using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v pseudo-label</c>: a model's transcripts of unlabelled audio as a manifest that fine-tuning reads.</summary>
public sealed class PseudoLabelCommandTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Each_readable_clip_gets_its_transcript_and_a_confidence_and_an_unreadable_one_is_named()
    {
        var first = _fixture.Wav("unlabelled/a.wav");
        var second = _fixture.Wav("unlabelled/sub/b.wav");
        var corrupt = Path.Combine(_fixture.Temp.Root, "unlabelled", "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF not really");
        var outFile = Path.Combine(_fixture.Temp.Root, "pseudo.jsonl");

        var (code, output, error) = CliRunner.Run("pseudo-label", "--model", _fixture.Model, "--data", Path.Combine(_fixture.Temp.Root, "unlabelled"),
            "--out", outFile, "--batch-size", "2");

        Assert.Equal(1, code);
        Assert.Contains($"skipped: {corrupt}", error);
        Assert.StartsWith($"labelled 2 of 2 clips (0 min, mean confidence ", output);
        var rows = File.ReadAllLines(outFile).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal([first, second], rows.Select(r => r["audio_filepath"]!.GetValue<string>()));
        var expected = _fixture.ExpectedText();
        Assert.NotEmpty(expected.Trim());
        Assert.All(rows, r => Assert.Equal(expected.Trim(), r["text"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal(1.0, r["duration"]!.GetValue<double>(), 3));
        var confidence = rows[0]["confidence"]!.GetValue<double>();
        Assert.InRange(confidence, 1e-6, 1.0);
        Assert.Equal(confidence, rows[1]["confidence"]!.GetValue<double>());

        // The confidence floor: just above the clips' confidence leaves nothing, which is an error that writes no file.
        var none = Path.Combine(_fixture.Temp.Root, "none.jsonl");
        _fixture.Wav("one/a.wav");
        var (floorCode, floorOutput, floorError) = CliRunner.Run("pseudo-label", "--model", _fixture.Model, "--data", Path.Combine(_fixture.Temp.Root, "one"),
            "--out", none, "--min-confidence", (confidence + 1e-4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, floorCode);
        Assert.Equal("", floorOutput);
        Assert.Contains("no clip was labelled (1 transcribed: 1 below --min-confidence", floorError);
        Assert.False(File.Exists(none));
    }

    [Theory]
    [InlineData("1.5", "error: --min-confidence must be in [0, 1], not 1.5.")]
    [InlineData("-0.1", "error: --min-confidence must be in [0, 1], not -0.1.")]
    public void A_confidence_floor_outside_zero_to_one_is_refused(string floor, string message)
    {
        _fixture.Wav("in/a.wav");
        var outFile = Path.Combine(_fixture.Temp.Root, "pseudo.jsonl");

        var (code, _, error) = CliRunner.Run("pseudo-label", "--model", _fixture.Model, "--data", Path.Combine(_fixture.Temp.Root, "in"), "--out", outFile, "--min-confidence", floor);

        Assert.Equal(1, code);
        Assert.Equal(message + Environment.NewLine, error);
        Assert.False(File.Exists(outFile));
    }
}
