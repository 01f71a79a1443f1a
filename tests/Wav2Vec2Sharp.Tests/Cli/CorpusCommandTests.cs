using Wav2Vec2Sharp.Cli.Commands;

namespace Wav2Vec2Sharp.Tests.Cli;

public sealed class CorpusCommandTests
{
    [Theory]
    [InlineData(10, "train_10min")]
    [InlineData(60, "train_1h")]
    [InlineData(120, "train_2h")]
    [InlineData(90, "train_90min")]
    [InlineData(0.2, "train_12s")]
    [InlineData(2.5, "train_150s")]
    public void Labelled_sets_are_named_by_whole_hours_minutes_or_seconds(double minutes, string expected) =>
        Assert.Equal(expected, CorpusCommand.LabelledSetName(minutes));
}
