using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Output;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Tests.Output;

public sealed class SubtitleTests
{
    private static TimedWord Word(string text, double start, double end, double confidence = 0.9) => new(text, start, end, confidence,
        [new TimedToken(text[..1], start, end, confidence, 0, 0)]);

    [Theory]
    [InlineData(0, ',', "00:00:00,000")]
    [InlineData(62.345, ',', "00:01:02,345")]
    [InlineData(62.345, '.', "00:01:02.345")]
    [InlineData(3723.004, '.', "01:02:03.004")]
    [InlineData(59.9996, ',', "00:01:00,000")]
    public void Timestamps_are_formatted_with_the_format_separator(double seconds, char separator, string expected) =>
        Assert.Equal(expected, SubtitleWriter.Timestamp(seconds, separator));

    [Fact]
    public void Pauses_longer_than_the_threshold_start_a_new_cue()
    {
        var words = new[] { Word("HELLO", 0.5, 0.9), Word("WORLD", 1.0, 1.4), Word("AGAIN", 2.3, 2.8) };

        var cues = SubtitleBuilder.Build(words);

        Assert.Equal("1\n00:00:00,500 --> 00:00:01,400\nHELLO WORLD\n\n2\n00:00:02,300 --> 00:00:02,800\nAGAIN\n\n", SubtitleWriter.ToSrt(cues));
        Assert.Equal("WEBVTT\n\n00:00:00.500 --> 00:00:01.400\nHELLO WORLD\n\n00:00:02.300 --> 00:00:02.800\nAGAIN\n\n", SubtitleWriter.ToVtt(cues));
    }

    [Fact]
    public void Cues_wrap_at_the_line_length_and_split_when_the_lines_are_full()
    {
        var words = "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG".Split(' ').Select((w, i) => Word(w, i * 0.5, i * 0.5 + 0.4)).ToArray();

        var cues = SubtitleBuilder.Build(words, new SubtitleOptions { MaxLineLength = 15, MaxLines = 2 });

        Assert.Equal(
            "1\n00:00:00,000 --> 00:00:02,900\nTHE QUICK BROWN\nFOX JUMPS OVER\n\n" +
            "2\n00:00:03,000 --> 00:00:04,400\nTHE LAZY DOG\n\n",
            SubtitleWriter.ToSrt(cues));
    }

    [Fact]
    public void A_cue_never_runs_longer_than_the_maximum_duration()
    {
        var words = Enumerable.Range(0, 10).Select(i => Word("W" + i, i * 1.0, i * 1.0 + 0.9)).ToArray();

        var cues = SubtitleBuilder.Build(words, new SubtitleOptions { MaxCueSeconds = 3 });

        Assert.Equal(["W0 W1 W2", "W3 W4 W5", "W6 W7 W8", "W9"], cues.Select(c => string.Join("|", c.Lines)));
        Assert.All(cues, c => Assert.True(c.End - c.Start <= 3));
    }

    [Fact]
    public void Json_carries_words_with_times_and_confidence_and_optionally_characters()
    {
        var transcript = new TimedTranscript("HI", [Word("HI", 0.02, 0.1, 0.87654)], 0.2);

        var json = TranscriptJson.Write(transcript, includeCharacters: true).ToJsonString();

        Assert.Equal("{\"text\":\"HI\",\"words\":[{\"word\":\"HI\",\"start\":0.02,\"end\":0.1,\"confidence\":0.8765}]," +
            "\"chars\":[{\"char\":\"H\",\"start\":0.02,\"end\":0.1,\"confidence\":0.8765}]}", json);
        Assert.Null(TranscriptJson.Write(transcript, includeCharacters: false)["chars"]);
    }
}
