using System.Buffers.Binary;
using System.CommandLine;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Cli.Commands;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary><c>w2v tune-lm</c> on the tiny parity model (random weights), and the shared decoder options.</summary>
public sealed class TuneLmCommandTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _model;
    private readonly string _manifest;
    private readonly string _lm;

    public TuneLmCommandTests()
    {
        _model = Path.Combine(_temp.Root, "model");
        Directory.CreateDirectory(_model);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json" })
            File.Copy(Fixtures.Path("parity/layer_stableln_bias/" + file), Path.Combine(_model, file));
        File.WriteAllText(Path.Combine(_model, "preprocessor_config.json"), "{\"do_normalize\": false, \"sampling_rate\": 16000}");
        var samples = SafetensorsFile.Read(Fixtures.Path("parity/inputs.safetensors"))["single.input_values"][0].data<float>().ToArray();
        var wav = _temp.Write("clip.wav", new WavBuilder { FormatTag = 3, BitsPerSample = 32, Data = Bytes(samples) }.ToBytes());
        var half = _temp.Write("half.wav", new WavBuilder { FormatTag = 3, BitsPerSample = 32, Data = Bytes(samples[..(samples.Length / 2)]) }.ToBytes());
        _manifest = _temp.Write("dev.jsonl", System.Text.Encoding.UTF8.GetBytes(
            $"{{\"audio\": \"{wav}\", \"text\": \"a tin hat\"}}\n{{\"audio\": \"{half}\", \"text\": \"the hen\"}}\n"));
        var builder = new KneserNeyBuilder(2);
        foreach (var sentence in new[] { "a tin hat", "the hen ate", "a hat on the hen" })
            builder.AddSentence(sentence);
        _lm = Path.Combine(_temp.Root, "lm.arpa");
        builder.Build().Save(_lm);
    }

    public void Dispose() => _temp.Dispose();

    private static byte[] Bytes(float[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), samples[i]);
        return bytes;
    }

    [Fact]
    public void Tune_lm_prints_one_row_per_setting_and_writes_the_summary()
    {
        var summary = Path.Combine(_temp.Root, "tune.json");

        var (code, output, error) = CliRunner.Run("tune-lm", "--model", _model, "--data", _manifest, "--lm", _lm,
            "--alphas", "0,0.5", "--betas", "0,1,2", "--beam-width", "8", "--out", summary);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(1 + 6 + 1, lines.Length);
        Assert.StartsWith("best: alpha ", lines[^1]);
        Assert.Contains("2 utterances, 6 settings", lines[^1]);
        var json = JsonNode.Parse(File.ReadAllText(summary))!;
        Assert.Equal(6, json["grid"]!.AsArray().Count);
        Assert.Equal(8, json["beam_width"]!.GetValue<int>());
        double bestWer = json["best"]!["wer"]!.GetValue<double>();
        Assert.All(json["grid"]!.AsArray(), row => Assert.True(row!["wer"]!.GetValue<double>() >= bestWer));
    }

    [Fact]
    public void An_unreadable_clip_is_named_once_skipped_and_fails_the_run_while_the_rest_is_scored()
    {
        var corrupt = _temp.Write("corrupt.wav", "not audio at all"u8.ToArray());
        var manifest = _temp.Write("mixed.jsonl", System.Text.Encoding.UTF8.GetBytes(
            File.ReadAllText(_manifest) + $"{{\"audio\": \"{corrupt}\", \"text\": \"a hen\"}}\n"));

        var (code, output, error) = CliRunner.Run("tune-lm", "--model", _model, "--data", manifest, "--lm", _lm, "--alphas", "0.5", "--betas", "1");

        Assert.Equal(1, code);
        Assert.Equal($"skipped: {corrupt}: unrecognised audio format (starts with bytes 6E6F7420; expected WAV, FLAC, MP3, Ogg Vorbis, Ogg Opus or WebM Opus)\n",
            error.ReplaceLineEndings("\n"));
        Assert.Contains("2 utterances, 1 settings", output);
    }

    [Fact]
    public void Tune_lm_names_a_bad_lm_file_and_a_bad_grid()
    {
        var bad = _temp.Write("bad.arpa", "\\data\\\nngram 1=2\n\n\\1-grams:\n-1\ta\n\\end\\\n"u8.ToArray());

        var (code1, _, error1) = CliRunner.Run("tune-lm", "--model", _model, "--data", _manifest, "--lm", bad);
        var (code2, _, error2) = CliRunner.Run("tune-lm", "--model", _model, "--data", _manifest, "--lm", _lm, "--alphas", "0,x");

        Assert.Equal(1, code1);
        Assert.Equal($"error: {bad}:4: the \\data\\ header promises 2 1-grams but the section lists 1.\n", error1.ReplaceLineEndings("\n"));
        Assert.Equal(1, code2);
        Assert.Equal("error: --alphas: \"x\" is not a number.\n", error2.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Decoder_options_build_greedy_by_default_and_beam_search_when_asked()
    {
        var options = new DecoderOptions();
        var command = new Command("decode");
        options.AddTo(command);
        var vocabulary = Vocabulary.Load(Path.Combine(_model, "vocab.json"));
        var lexicon = _temp.Write("lexicon.txt", "TIN\tT I N |\nHAT\tH A T |\n"u8.ToArray());

        var greedy = options.Create(command.Parse([]), vocabulary);
        var beam = options.Create(command.Parse(["--lm", _lm, "--alpha", "0.7", "--beta", "-1", "--lexicon", lexicon]), vocabulary);
        var widthOnly = options.Create(command.Parse(["--beam-width", "7"]), vocabulary);

        Assert.IsType<GreedyCtcDecoder>(greedy);
        var search = Assert.IsType<BeamSearchCtcDecoder>(beam);
        Assert.NotNull(search.LanguageModel);
        Assert.Equal(0.7, search.Options.Alpha);
        Assert.Equal(-1, search.Options.Beta);
        Assert.Equal(["TIN", "HAT"], search.Options.Lexicon);
        Assert.Equal(7, Assert.IsType<BeamSearchCtcDecoder>(widthOnly).Options.BeamWidth);
        Assert.Null(((BeamSearchCtcDecoder)widthOnly).LanguageModel);
        Assert.Throws<Wav2Vec2SharpException>(() => options.Create(command.Parse(["--hotwords", "/nonexistent/hot.txt"]), vocabulary));
    }
}
