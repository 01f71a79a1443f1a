using Wav2Vec2Sharp.Cli.Commands;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary>
/// <c>w2v export onnx</c> on the tiny fixture model, and the ONNX directory it writes run by the commands that take
/// <c>--engine</c>: the same transcripts and scores as the TorchSharp engine, and one clear error when the engine asked
/// for has no files in the directory.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private const string TorchWeightFiles = "model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json";

    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string Export(string name, params string[] options)
    {
        var directory = Path.Combine(_fixture.Temp.Root, name);
        var (code, output, error) = CliRunner.Run(["export", "onnx", "--model", _fixture.Model, "--out", directory, .. options]);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.StartsWith($"exported {directory}/model.onnx: 40.2 k parameters, fp32 weights 160.9 kB → model ", output);
        return directory;
    }

    [Fact]
    public void The_exported_directory_transcribes_exactly_as_the_torch_one()
    {
        var onnx = Export("onnx");
        var modelBytes = new FileInfo(Path.Combine(onnx, "model.onnx")).Length;
        var wav = _fixture.Wav("clip.wav");

        var torch = CliRunner.Run("transcribe", "--model", _fixture.Model, wav);
        var auto = CliRunner.Run("transcribe", "--model", onnx, wav);
        var explicitOnnx = CliRunner.Run("transcribe", "--model", onnx, "--engine", "onnx", "--threads", "1", wav);
        var info = CliRunner.Run("info", "--model", onnx);

        Assert.Equal((0, _fixture.ExpectedText() + Environment.NewLine, ""), torch);
        Assert.Equal(torch, auto);
        Assert.Equal(torch, explicitOnnx);
        Assert.Equal(["config.json", "model.onnx", "preprocessor_config.json", "vocab.json"], Directory.GetFiles(onnx).Select(Path.GetFileName).Order());
        Assert.Equal(0, info.Code);
        Assert.Contains($"{Environment.NewLine}engines:      onnx (model.onnx){Environment.NewLine}", info.Output);
        Assert.Contains($"{Environment.NewLine}parameters:   not counted (model.onnx, {ExportCommand.Bytes(modelBytes)}; the count needs TorchSharp weights){Environment.NewLine}", info.Output);
    }

    [Fact]
    public void The_summary_line_names_the_file_sizes_weights_and_inputs()
    {
        var directory = Path.Combine(_fixture.Temp.Root, "masked");

        var (code, output, error) = CliRunner.Run("export", "onnx", "-m", _fixture.Model, "-o", directory, "--attention-mask", "true");

        Assert.Equal((0, ""), (code, error));
        var modelBytes = new FileInfo(Path.Combine(directory, "model.onnx")).Length;
        Assert.Equal($"exported {directory}/model.onnx: 40.2 k parameters, fp32 weights 160.9 kB → model {ExportCommand.Bytes(modelBytes)} (fp32), " +
                     $"inputs input_values, attention_mask, opset 17{Environment.NewLine}", output);
        Assert.Equal((0, _fixture.ExpectedText() + Environment.NewLine, ""), CliRunner.Run("transcribe", "--model", directory, _fixture.Wav("clip.wav")));
    }

    [Fact]
    public void An_int8_export_is_smaller_and_still_transcribes()
    {
        var fp32 = Export("fp32");
        var int8 = Export("int8", "--quantize", "int8", "--attention-mask", "false");
        long fp32Bytes = new FileInfo(Path.Combine(fp32, "model.onnx")).Length, int8Bytes = new FileInfo(Path.Combine(int8, "model.onnx")).Length;

        var (code, output, error) = CliRunner.Run("transcribe", "--model", int8, _fixture.Wav("clip.wav"));

        Assert.True(int8Bytes < fp32Bytes, $"int8 model.onnx is {int8Bytes} bytes, fp32 {fp32Bytes}");
        Assert.Equal((0, ""), (code, error));
        Assert.NotEmpty(output.Trim());
    }

    [Fact]
    public void An_engine_whose_files_the_directory_lacks_is_one_clear_error()
    {
        var onnx = Export("onnx");
        var wav = _fixture.Wav("clip.wav");

        var onnxOnTorch = CliRunner.Run("transcribe", "--model", _fixture.Model, "--engine", "onnx", wav);
        var torchOnOnnx = CliRunner.Run("transcribe", "--model", onnx, "--engine", "torch", wav);
        var empty = Directory.CreateDirectory(Path.Combine(_fixture.Temp.Root, "empty")).FullName;
        var neither = CliRunner.Run("align", "--model", empty, "--text", "HE", wav);

        Assert.Equal((1, "", $"error: {_fixture.Model} has no model.onnx for --engine onnx (w2v export onnx writes one).{Environment.NewLine}"), onnxOnTorch);
        Assert.Equal((1, "", $"error: {onnx} has no TorchSharp weights for --engine torch (no {TorchWeightFiles}); its model.onnx runs with --engine onnx.{Environment.NewLine}"),
            torchOnOnnx);
        Assert.Equal((1, "", $"error: {empty} has no model to run: neither TorchSharp weights ({TorchWeightFiles}) nor model.onnx.{Environment.NewLine}"), neither);
    }

    [Fact]
    public void Auto_runs_torch_when_the_directory_holds_both()
    {
        var both = Export("both");
        File.Copy(Path.Combine(_fixture.Model, "model.safetensors"), Path.Combine(both, "model.safetensors"));

        var (code, output, _) = CliRunner.Run("info", "--model", both);

        Assert.Equal(0, code);
        Assert.Contains($"{Environment.NewLine}engines:      torch (model.safetensors), onnx (model.onnx); --engine auto runs torch{Environment.NewLine}", output);
        Assert.Contains($"{Environment.NewLine}parameters:   40,220{Environment.NewLine}", output);
    }

    [Fact]
    public void Evaluate_on_onnx_reports_the_torch_scores()
    {
        var onnx = Export("onnx");
        var wav = _fixture.Wav("clip.wav");
        var manifest = Path.Combine(_fixture.Temp.Root, "dev.jsonl");
        File.WriteAllText(manifest, $"{{\"audio_filepath\": \"{wav}\", \"text\": \"HE HE\"}}\n{{\"audio_filepath\": \"{wav}\", \"text\": \"HEN\"}}\n");

        var torch = CliRunner.Run("evaluate", "--model", _fixture.Model, "--data", manifest);
        var viaOnnx = CliRunner.Run("evaluate", "--model", onnx, "--engine", "onnx", "--data", manifest);

        // the line ends with the throughput, which differs run to run
        static string Scores((int Code, string Output, string Error) run) => run.Output[..run.Output.LastIndexOf(", ", StringComparison.Ordinal)];
        Assert.Equal((0, ""), (torch.Code, torch.Error));
        Assert.Equal((0, ""), (viaOnnx.Code, viaOnnx.Error));
        Assert.StartsWith("WER ", torch.Output);
        Assert.EndsWith(", 2 utterances", Scores(torch));
        Assert.Equal(Scores(torch), Scores(viaOnnx));
    }

    [Fact]
    public void A_missing_model_directory_is_one_error_and_writes_nothing()
    {
        var missing = Path.Combine(_fixture.Temp.Root, "no-such-model");
        var output = Path.Combine(_fixture.Temp.Root, "out");

        var run = CliRunner.Run("export", "onnx", "--model", missing, "--out", output);

        Assert.Equal((1, "", $"error: {missing}: no such model directory.{Environment.NewLine}"), run);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_model_without_a_vocabulary_is_one_error_and_writes_nothing()
    {
        var pretrained = Directory.CreateDirectory(Path.Combine(_fixture.Temp.Root, "pretrained")).FullName;
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(_fixture.Model, file), Path.Combine(pretrained, file));
        var output = Path.Combine(_fixture.Temp.Root, "out");

        var run = CliRunner.Run("export", "onnx", "--model", pretrained, "--out", output, "--quantize", "int8");

        Assert.Equal((1, "", $"error: {pretrained} has no vocab.json: only a fine-tuned CTC model can be exported.{Environment.NewLine}"), run);
        Assert.False(Directory.Exists(output));
    }
}
