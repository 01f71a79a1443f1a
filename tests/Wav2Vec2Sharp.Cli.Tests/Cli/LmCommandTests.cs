using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

public sealed class LmCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Lm_build_writes_an_arpa_file_the_scorer_reads()
    {
        var text = _temp.Write("text.txt", "The cat sat on the mat.\nthe dog sat on the log\n\nA cat!\n"u8.ToArray());
        var arpa = Path.Combine(_temp.Root, "out", "lm.arpa");

        var (code, output, error) = CliRunner.Run("lm", "build", "--text", text, "--order", "3", "-o", arpa);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("order 3, 3 sentences, 14 words", output);
        var lm = NGramLanguageModel.Load(arpa);
        Assert.Equal(3, lm.Order);
        Assert.True(lm.Contains("CAT"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(arpa)!, "*.tmp"));
    }

    [Fact]
    public void Missing_and_empty_text_files_are_named_in_one_line_errors()
    {
        var missing = Path.Combine(_temp.Root, "missing.txt");
        var empty = _temp.Write("empty.txt", "\n ... \n"u8.ToArray());
        var arpa = Path.Combine(_temp.Root, "lm.arpa");

        var (code1, _, error1) = CliRunner.Run("lm", "build", "--text", missing, "-o", arpa);
        var (code2, _, error2) = CliRunner.Run("lm", "build", "--text", empty, "-o", arpa);

        Assert.Equal(1, code1);
        Assert.Equal($"error: {missing}: file not found.\n", error1.ReplaceLineEndings("\n"));
        Assert.Equal(1, code2);
        Assert.Equal($"error: {empty}: no words to build a language model from (the text is empty after normalisation).\n", error2.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(arpa));
    }

    [Fact]
    public void Lm_build_refuses_a_binary_file_and_writes_nothing()
    {
        var audio = _temp.Write("speech.mp3", [0xFF, 0xFB, 0x90, 0x00, 0xC3, 0x28, 0xA0, 0xFE, 0x00, 0x41, 0x0A]);
        var arpa = Path.Combine(_temp.Root, "lm.arpa");

        var (code, output, error) = CliRunner.Run("lm", "build", "--text", audio, "-o", arpa);

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"error: {audio}: not a text file (bytes that are not UTF-8 near line 1): give one sentence per line, UTF-8.{Environment.NewLine}", error);
        Assert.False(File.Exists(arpa));
    }
}
