using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
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

    [Theory]
    [InlineData(null, new Wav2Vec2Sharp.Corpus.ChannelTest[0])]
    [InlineData("none", new Wav2Vec2Sharp.Corpus.ChannelTest[0])]
    [InlineData("all", new[] { Wav2Vec2Sharp.Corpus.ChannelTest.Telephone, Wav2Vec2Sharp.Corpus.ChannelTest.Mp3, Wav2Vec2Sharp.Corpus.ChannelTest.Reverb, Wav2Vec2Sharp.Corpus.ChannelTest.Noise10 })]
    [InlineData("Noise10, telephone,noise10", new[] { Wav2Vec2Sharp.Corpus.ChannelTest.Noise10, Wav2Vec2Sharp.Corpus.ChannelTest.Telephone })]
    public void Channel_tests_are_parsed_in_the_order_given(string? text, Wav2Vec2Sharp.Corpus.ChannelTest[] expected) =>
        Assert.Equal(expected, CorpusCommand.ParseChannelTests(text));

    [Fact]
    public void An_unknown_channel_test_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<Wav2Vec2SharpException>(() => CorpusCommand.ParseChannelTests("telephone,gsm"));

        Assert.Equal("--channel-tests: unknown channel \"gsm\" (use telephone, mp3, reverb, noise10, all or none).", error.Message);
    }

    [Theory]
    [InlineData("0", "error: --digits must be between 1 and 100000, not 0.\n")]
    [InlineData("200000", "error: --digits must be between 1 and 100000, not 200000.\n")]
    public void Digit_string_counts_out_of_range_are_refused_before_any_output(string count, string expected)
    {
        using var temp = new TempDir();
        var corpus = Path.Combine(temp.Root, "corpus");

        var (code, _, error) = CliRunner.Run("corpus", "synth", "-o", corpus, "--digits", count);

        Assert.Equal(1, code);
        Assert.Equal(expected, error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(corpus));
    }

    [Fact]
    public void Text_and_digits_together_are_refused()
    {
        using var temp = new TempDir();
        var text = temp.Write("text.txt", "one two three four five\n"u8.ToArray());
        var corpus = Path.Combine(temp.Root, "corpus");

        var (code, _, error) = CliRunner.Run("corpus", "synth", "-o", corpus, "--digits", "100", "--text", text);

        Assert.Equal(1, code);
        Assert.Equal("error: --text and --digits both choose what is spoken; give one of them.\n", error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(corpus));
    }

    [Fact]
    public void Augment_writes_the_copy_and_names_a_bad_recipe_or_a_missing_manifest()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(Path.Combine(temp.Root, "clips"));
        temp.Write("clips/a.wav", new WavBuilder { Data = WavBuilder.Pcm16(Signals.Sine(8000, 300, 16000, amplitude: 0.3)) }.ToBytes());
        var dev = temp.Write("dev.jsonl", """{"audio_filepath":"clips/a.wav","text":"one two"}"""u8.ToArray());
        var output = Path.Combine(temp.Root, "dev_aug.jsonl");

        var (code, stdout, error) = CliRunner.Run("corpus", "augment", "--data", dev, "-o", output, "--augment", "noise:1@0..15", "--copies", "2");
        var (badRecipe, _, badRecipeError) = CliRunner.Run("corpus", "augment", "--data", dev, "-o", output, "--augment", "speed@0..1");
        var (missing, _, missingError) = CliRunner.Run("corpus", "augment", "--data", Path.Combine(temp.Root, "none.jsonl"), "-o", output, "--augment", "noise");

        Assert.True(code == 0, error);
        Assert.Equal($"{output}: 2 clips, 0.0 min (noise:1@0..15 (p = 0.5 unless given), seed 1)\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal(2, File.ReadAllLines(output).Length);
        Assert.All(File.ReadAllLines(output), line => Assert.Contains("\"text\":\"one two\"", line));
        Assert.Equal((1, "error: Augmentation 'speed@0..1': only reverb, noise and babble take a range ('@low..high', in dB).\n"),
            (badRecipe, badRecipeError.ReplaceLineEndings("\n")));
        Assert.Equal(1, missing);
        Assert.StartsWith("error: ", missingError);
        Assert.Contains("none.jsonl", missingError);
        Assert.Single(missingError.Trim().Split('\n'));
    }
}
