using Wav2Vec2Sharp.Cli.Console;

namespace Wav2Vec2Sharp.Tests.Console;

public sealed class ResultTableTests
{
    [Fact]
    public void Redirected_output_gets_plain_aligned_columns_without_escape_codes()
    {
        var output = new StringWriter();

        new ResultTable(["model", "WER"], rightAligned: 1).Add("pretrained", "9.5%").Add("scratch", "41.0%").Write(output, terminal: false);

        Assert.Equal(["model        WER", "pretrained  9.5%", "scratch    41.0%"], output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }
}
