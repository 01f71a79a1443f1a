using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Cli;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary>
/// Runs <c>w2v</c> in-process on a parity fixture model whose preprocessing is switched off, so that the transcript
/// must equal the greedy decoding of torchaudio's logits for the same samples.
/// </summary>
public sealed class TranscribeCommandTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _model;
    private readonly float[] _samples;

    public TranscribeCommandTests()
    {
        _model = Path.Combine(_temp.Root, "model");
        Directory.CreateDirectory(_model);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json" })
            File.Copy(Fixtures.Path("parity/layer_stableln_bias/" + file), Path.Combine(_model, file));
        File.WriteAllText(Path.Combine(_model, "preprocessor_config.json"), "{\"do_normalize\": false, \"sampling_rate\": 16000}");
        var inputs = SafetensorsFile.Read(Fixtures.Path("parity/inputs.safetensors"));
        _samples = inputs["single.input_values"][0].data<float>().ToArray();
    }

    public void Dispose() => _temp.Dispose();

    private string ExpectedText()
    {
        var activations = SafetensorsFile.Read(Fixtures.Path("parity/layer_stableln_bias/activations.safetensors"));
        var logits = activations["single.logits"][0];
        var vocabulary = Vocabulary.Load(Path.Combine(_model, "vocab.json"));
        return new GreedyCtcDecoder(vocabulary).Decode(logits.data<float>().ToArray(), (int)logits.shape[0]);
    }

    private string FloatWav(string name, float[] samples) => _temp.Write(name, new WavBuilder
    {
        FormatTag = 3, BitsPerSample = 32, Data = MemoryMarshalBytes(samples),
    }.ToBytes());

    private static byte[] MemoryMarshalBytes(float[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), samples[i]);
        return bytes;
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Transcript_equals_greedy_decoding_of_the_torchaudio_logits()
    {
        var wav = FloatWav("clip.wav", _samples);
        var expected = ExpectedText();

        var (code, output, error) = Run("transcribe", "--model", _model, wav);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(expected + Environment.NewLine, output);
        Assert.NotEmpty(expected.Trim());
    }

    [Fact]
    public void Bad_inputs_are_reported_one_line_each_while_good_files_are_still_transcribed()
    {
        var good = FloatWav("good.wav", _samples);
        var shortClip = FloatWav("short.wav", _samples[..300]);
        var corrupt = _temp.Write("corrupt.wav", Encoding.ASCII.GetBytes("RIFF\u0010\0\0\0WAVEfmt "));
        var missing = Path.Combine(_temp.Root, "missing.wav");

        var (code, output, error) = Run("transcribe", "--model", _model, missing, good, corrupt, shortClip);

        Assert.Equal(1, code);
        Assert.Equal($"{good}\t{ExpectedText()}{Environment.NewLine}", output);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"error: {missing}", lines[0]);
        Assert.StartsWith($"error: {corrupt}", lines[1]);
        Assert.Equal($"error: {shortClip}: the clip has 300 samples (0.019 s), fewer than the 400 samples one output frame needs.", lines[2]);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Logits_are_written_as_npy_with_frames_by_vocab_shape()
    {
        var wav = FloatWav("clip.wav", _samples);
        var npy = Path.Combine(_temp.Root, "out", "clip.npy");

        var (code, _, _) = Run("transcribe", "--model", _model, "--logits-out", npy, wav);

        Assert.Equal(0, code);
        var bytes = File.ReadAllBytes(npy);
        Assert.Equal("\x93NUMPY", Encoding.Latin1.GetString(bytes, 0, 6));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'shape': (49, 12)", header);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal(49 * 12 * 4, bytes.Length - 10 - headerLength);
        var activations = SafetensorsFile.Read(Fixtures.Path("parity/layer_stableln_bias/activations.safetensors"));
        var expectedFirst = activations["single.logits"][0, 0, 0].item<float>();
        Assert.Equal(expectedFirst, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength)), 4);
    }

    [Fact]
    public void Json_output_carries_text_and_timing_per_file()
    {
        var wav = FloatWav("clip.wav", _samples);

        var (code, output, _) = Run("transcribe", "--model", _model, "--format", "json", wav);

        Assert.Equal(0, code);
        var file = JsonNode.Parse(output)!["files"]![0]!;
        Assert.Equal(ExpectedText(), file["text"]!.GetValue<string>());
        Assert.Equal(1.0, file["audio_seconds"]!.GetValue<double>());
        Assert.Equal(49, file["frames"]!.GetValue<int>());
        Assert.True(file["total_seconds"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void Every_supported_format_transcribes_and_lossless_formats_agree()
    {
        var files = new[] { "mono16.wav", "mono16.flac", "mono16.mp3", "mono16.ogg", "mono16.opus", "mono16.webm", "stereo24.flac", "mono8.wav" }
            .Select(f => Fixtures.Path("audio/" + f)).ToArray();

        var (code, output, error) = Run(["transcribe", "--model", _model, .. files]);

        Assert.Equal("", error);
        Assert.Equal(0, code);
        var texts = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(p => Path.GetFileName(p[0]), p => p[1]);
        Assert.Equal(files.Length, texts.Count);
        Assert.Equal(texts["mono16.wav"], texts["mono16.flac"]);
        Assert.Equal(texts["mono16.opus"], texts["mono16.webm"]); // the same Opus packets in Ogg and in WebM
    }

    [Fact]
    public void A_missing_model_directory_is_one_clear_error()
    {
        var (code, output, error) = Run("transcribe", "--model", "/no/such/model", "x.wav");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("error: /no/such/model: model directory not found." + Environment.NewLine, error);
    }

    [Fact]
    public void Info_reports_architecture_parameters_and_vocabulary()
    {
        var (code, output, _) = Run("info", "--model", Fixtures.Path("parity/layer_stableln_bias"));

        Assert.Equal(0, code);
        Assert.Contains("architecture: Wav2Vec2ForCTC (stable-layer-norm (pre-LN) encoder, \"layer\"-norm feature encoder with conv bias)", output);
        Assert.Contains("parameters:   40,220", output);
        Assert.Contains("vocabulary:   12 tokens (blank <pad>, word delimiter |): <pad> <s> </s> <unk> | E T A O N I H", output);
    }
}
