using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Distributed;

/// <summary><c>mpirun -np 2 w2v evaluate</c>: the utterances split across ranks, one report in input order.</summary>
[Trait("Category", "Mpi")]
public sealed class MpiEvaluationTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Two_ranks_write_the_report_one_process_writes()
    {
        var manifest = ToneSpeech.WriteJsonl(_fixture.Temp, "dev", 7, 11);
        File.WriteAllText(Path.Combine(_fixture.Temp.Root, "corrupt.wav"), "RIFF not really");
        File.AppendAllText(manifest, "{\"audio_filepath\": \"corrupt.wav\", \"text\": \"ab\"}\n");
        var one = Path.Combine(_fixture.Temp.Root, "one");
        var two = Path.Combine(_fixture.Temp.Root, "two");

        var (oneCode, oneOutput, oneError) = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest, "--out", one);
        var (twoCode, twoOutput, twoError) = Mpirun.Run(2, TimeSpan.FromMinutes(2), "evaluate", "--model", _fixture.Model, "--data", manifest, "--out", two);

        Assert.Equal(1, oneCode); // the corrupt clip is reported, the rest scored
        Assert.Equal(1, twoCode); // the same, from rank 0, without aborting the job
        Assert.DoesNotContain("MPI_ABORT", twoError);
        Assert.Contains("corrupt.wav: ", oneError);
        Assert.Contains("[rank 0/2] skipped: " + Path.Combine(_fixture.Temp.Root, "corrupt.wav") + ": ", twoError);
        foreach (var file in new[] { "summary.json", "utterances.tsv", "utterances.jsonl" })
            Assert.Equal(File.ReadAllText(Path.Combine(one, file)), File.ReadAllText(Path.Combine(two, file)));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(two, "utterances.jsonl")).Length);
        Assert.Equal(oneOutput[..oneOutput.IndexOf(" utterances", StringComparison.Ordinal)], twoOutput[..twoOutput.IndexOf(" utterances", StringComparison.Ordinal)]);
    }
}

/// <summary><c>mpirun -np 2 w2v transcribe</c>: inputs split across ranks, standard output in input order.</summary>
[Trait("Category", "Mpi")]
public sealed class MpiTranscriptionTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public void Two_ranks_print_what_one_process_prints(string format)
    {
        var files = Enumerable.Range(0, 5).Select(i => _fixture.Wav($"in/{i}.wav", i == 3 ? _fixture.Samples[..8000] : _fixture.Samples)).ToList();
        var corrupt = Path.Combine(_fixture.Temp.Root, "in", "corrupt.wav");
        File.WriteAllText(corrupt, "RIFF not really");
        string[] args = ["transcribe", "--model", _fixture.Model, "--format", format, .. files, corrupt];

        var (oneCode, oneOutput, oneError) = CliRunner.Run(args);
        var (twoCode, twoOutput, twoError) = Mpirun.Run(2, TimeSpan.FromMinutes(2), args);

        Assert.Equal(1, oneCode);
        Assert.Equal(1, twoCode);
        Assert.DoesNotContain("MPI_ABORT", twoError);
        Assert.Equal(Normalise(oneOutput), Normalise(twoOutput));
        Assert.Contains($"[rank 0/2] error: {corrupt}: ", twoError);
        Assert.Contains($"error: {corrupt}: ", oneError);
    }

    // JSON entries carry the wall time each file took; everything else must match.
    private static string Normalise(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "\"(read_seconds|total_seconds)\": [0-9.eE+-]+", "\"$1\": 0");
}
