using Wav2Vec2Sharp.Cli.Console;

namespace Wav2Vec2Sharp.Tests.Distributed;

public sealed class RankPrefixedWriterTests
{
    [Fact]
    public void Every_line_starts_with_the_rank()
    {
        var inner = new StringWriter { NewLine = "\n" };
        var writer = new RankPrefixedWriter(inner, 1, 4) { NewLine = "\n" };

        writer.WriteLine("error: first");
        writer.Write("error: sec");
        writer.WriteLine("ond\nthird");

        Assert.Equal("[rank 1/4] error: first\n[rank 1/4] error: second\n[rank 1/4] third\n", inner.ToString());
    }
}
