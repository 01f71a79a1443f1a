using Wav2Vec2Sharp.Cli.Console;

namespace Wav2Vec2Sharp.Tests.Console;

public sealed class ProgressBarTests
{
    [Fact]
    public void On_a_terminal_the_line_is_redrawn_in_place_and_ends_with_a_line_break_when_done()
    {
        var writer = new StringWriter();
        var bar = new ProgressBar(writer, "pretrain", interactive: true);

        bar.Report(1, 4, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), "loss 6.87");
        var firstRaw = writer.ToString();
        bar.Report(4, 4, TimeSpan.FromSeconds(12), null, "loss 6.50");
        var allRaw = writer.ToString();
        var (first, all) = (Visible(firstRaw), Visible(allRaw));

        Assert.StartsWith("\r", firstRaw); // then, where the terminal takes ANSI, "erase line"
        Assert.DoesNotContain('\n', first);
        Assert.Contains("pretrain", first);
        Assert.Contains("1/4 [00:03 < 00:09]", first);
        Assert.Contains("loss 6.87", first);
        Assert.Equal(2, allRaw.Count(c => c == '\r') - (Environment.NewLine == "\r\n" ? 1 : 0));
        Assert.Contains("4/4 [00:12]", all);
        Assert.EndsWith("loss 6.50" + Environment.NewLine, all);
    }

    // The text a terminal shows: without colour and other escape sequences.
    private static string Visible(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;?]*[A-Za-z]", "");

    [Fact]
    public void A_line_wider_than_the_terminal_stays_on_one_line()
    {
        var writer = new StringWriter();
        var bar = new ProgressBar(writer, "transcribe", interactive: true);

        bar.Report(1, 9, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new string('x', 500));

        Assert.DoesNotContain('\n', writer.ToString());
        Assert.True(Visible(writer.ToString()).Length < 400, $"{Visible(writer.ToString()).Length} characters");
    }

    [Fact]
    public void Redirected_output_gets_plain_lines_without_escape_codes()
    {
        var writer = new StringWriter();
        var bar = new ProgressBar(writer, "evaluate", interactive: false);

        bar.Report(2, 2, TimeSpan.FromSeconds(65), null, "WER 12.5 %");

        Assert.Equal("evaluate ████████████████████████ 2/2 [01:05] WER 12.5 %" + Environment.NewLine, writer.ToString());
    }
}
