using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v align</c>: forced alignment of a given transcript on the tiny parity model.</summary>
public sealed class AlignCommandTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Json_lists_the_transcript_words_in_order_with_times_inside_the_clip()
    {
        var wav = _fixture.Wav("clip.wav");

        var (code, output, error) = CliRunner.Run("align", "--model", _fixture.Model, wav, "--text", "hat on a tin");

        Assert.Equal("", error);
        Assert.Equal(0, code);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("HAT ON A TIN", json["text"]!.GetValue<string>());
        var words = json["words"]!.AsArray();
        Assert.Equal(["HAT", "ON", "A", "TIN"], words.Select(w => w!["word"]!.GetValue<string>()));
        double previousEnd = 0;
        foreach (var word in words)
        {
            Assert.True(word!["start"]!.GetValue<double>() >= previousEnd);
            previousEnd = word["end"]!.GetValue<double>();
        }
        Assert.InRange(previousEnd, 0, 0.98);
        Assert.Equal(9, json["chars"]!.AsArray().Count);
    }

    [Fact]
    public void A_transcript_file_can_be_aligned_to_tsv()
    {
        var wav = _fixture.Wav("clip.wav");
        var transcript = Path.Combine(_fixture.Temp.Root, "clip.txt");
        File.WriteAllText(transcript, "THE\nHEN\n");
        var tsv = Path.Combine(_fixture.Temp.Root, "clip.tsv");

        var (code, _, error) = CliRunner.Run("align", "--model", _fixture.Model, "--format", "tsv", "--out", tsv, wav, transcript);

        Assert.Equal((0, ""), (code, error));
        var lines = File.ReadAllLines(tsv);
        Assert.Equal("start\tend\tword\tconfidence", lines[0]);
        Assert.Equal(["THE", "HEN"], lines[1..].Select(l => l.Split('\t')[2]));
    }

    [Fact]
    public void Characters_outside_the_vocabulary_are_an_error_naming_the_transcript()
    {
        var (code, output, error) = CliRunner.Run("align", "--model", _fixture.Model, _fixture.Wav("clip.wav"), "--text", "zebra");

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"error: --text: the transcript has characters outside the model's vocabulary: \"b\" \"r\" \"z\".{Environment.NewLine}", error);
    }

    [Fact]
    public void Audio_too_short_for_the_transcript_is_an_error_naming_the_audio()
    {
        var wav = _fixture.Wav("clip.wav");

        var (code, _, error) = CliRunner.Run("align", "--model", _fixture.Model, wav, "--text", string.Join(" ", Enumerable.Repeat("TEN", 13)));

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {wav}: the audio is too short for the transcript: 49 frames, but its 51 tokens need at least 51.", error);
    }
}
