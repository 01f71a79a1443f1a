using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v transcribe --batch-size N</c> prints what one clip at a time prints, errors included.</summary>
public sealed class TranscribeBatchTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public void Batched_transcription_prints_the_same_transcripts_and_errors_in_input_order(string format)
    {
        var files = new List<string>();
        for (int i = 0; i < 7; i++)
            files.Add(_fixture.Wav($"in/{i}.wav", _fixture.Samples[..(_fixture.Samples.Length * (4 + (i * 5) % 7) / 10)]));
        var corrupt = Path.Combine(_fixture.Temp.Root, "in", "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF not really");
        var tooShort = _fixture.Wav("in/short.wav", _fixture.Samples[..300]);
        string[] inputs = [files[0], corrupt, .. files[1..4], tooShort, .. files[4..]];

        var (oneCode, oneOutput, oneError) = CliRunner.Run(["transcribe", "--model", _fixture.Model, "--format", format, .. inputs]);
        var (code, output, error) = CliRunner.Run(["transcribe", "--model", _fixture.Model, "--format", format, "--batch-size", "3", .. inputs]);

        Assert.Equal(1, oneCode);
        Assert.Equal(1, code);
        Assert.Equal(Normalise(oneOutput), Normalise(output));
        Assert.Equal(oneError, error);
        Assert.Contains("short.wav: the clip has 300 samples", error);
    }

    [Fact]
    public void A_batch_size_below_one_is_refused()
    {
        var (code, _, error) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--batch-size", "0", _fixture.Wav("a.wav"));

        Assert.Equal(1, code);
        Assert.Equal("error: --batch-size must be at least 1, not 0." + Environment.NewLine, error);
    }

    // JSON entries carry the time each file took; everything else must match.
    private static string Normalise(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "\"(read_seconds|total_seconds)\": [0-9.eE+-]+", "\"$1\": 0");
}

/// <summary><c>w2v evaluate --batch-size N</c> writes the report one clip at a time writes.</summary>
public sealed class EvaluateBatchTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Batched_evaluation_writes_the_same_report()
    {
        var manifest = ToneSpeech.WriteJsonl(_fixture.Temp, "dev", 9, 5);
        File.WriteAllText(Path.Combine(_fixture.Temp.Root, "corrupt.wav"), "RIFF not really");
        File.AppendAllText(manifest, "{\"audio_filepath\": \"corrupt.wav\", \"text\": \"ab\"}\n");
        var one = Path.Combine(_fixture.Temp.Root, "one");
        var batched = Path.Combine(_fixture.Temp.Root, "batched");

        var (oneCode, oneOutput, oneError) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", one);
        var (code, output, error) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", batched, "--batch-size", "4");

        Assert.Equal(1, oneCode);
        Assert.Equal(1, code);
        Assert.Equal(oneError, error);
        foreach (var file in new[] { "summary.json", "utterances.tsv", "utterances.jsonl" })
            Assert.Equal(File.ReadAllText(Path.Combine(one, file)), File.ReadAllText(Path.Combine(batched, file)));
        Assert.Equal(oneOutput[..oneOutput.IndexOf(" utterances", StringComparison.Ordinal)], output[..output.IndexOf(" utterances", StringComparison.Ordinal)]);
    }
}
