using System.CommandLine;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Onnx;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v info --model DIR</c>: the engines that can run a model directory, its architecture, parameter count and vocabulary.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Hugging Face model directory (config.json + weights), or an ONNX one (config.json + model.onnx)", Required = true };
        var command = new Command("info", "Print the engines that can run a model, its architecture, parameter count and vocabulary.") { model };
        command.SetAction(parse => CliApp.Guard(error, () => Run(parse.GetValue(model)!.FullName, output)));
        return command;
    }

    private static int Run(string directory, TextWriter output)
    {
        var config = ModelDirectory.ReadConfig(directory);
        var architecture = config.Architectures?.FirstOrDefault() ?? Wav2Vec2Pretrained.ModelArchitecture;
        var engines = ModelEngines.Available(directory);
        // an ONNX-only directory has no weights TorchSharp reads; any other is loaded, which also checks its weights
        long? parameters = engines is [ModelEngines.Onnx] ? null : CountParameters(directory, architecture);
        output.WriteLine($"model:        {directory}");
        output.WriteLine($"engines:      {string.Join(", ", engines.Select(e => $"{e} ({EngineFile(directory, e)})"))}" +
                         (engines.Count > 1 ? $"; --engine auto runs {engines[0]}" : ""));
        output.WriteLine($"architecture: {architecture} ({(config.DoStableLayerNorm ? "stable-layer-norm (pre-LN) encoder" : "post-LN encoder")}, " +
                         $"\"{config.FeatExtractNorm}\"-norm feature encoder{(config.ConvBias ? " with conv bias" : "")})");
        output.WriteLine($"encoder:      {config.NumHiddenLayers} layers × {config.HiddenSize} wide, {config.NumAttentionHeads} heads, FFN {config.IntermediateSize}");
        output.WriteLine($"features:     {config.ConvDim.Count} conv layers ({config.ConvDim[^1]} channels), {config.InputsToLogitsRatio} samples per frame, receptive field {config.ReceptiveField} samples");
        output.WriteLine(parameters is { } count
            ? $"parameters:   {count:N0}"
            : $"parameters:   not counted ({OnnxAcousticModel.FileName}, {ExportCommand.Bytes(new FileInfo(Path.Combine(directory, OnnxAcousticModel.FileName)).Length)}; the count needs TorchSharp weights)");
        var vocabPath = Path.Combine(directory, "vocab.json");
        if (File.Exists(vocabPath))
        {
            var vocabulary = Vocabulary.Load(vocabPath);
            var tokens = Enumerable.Range(0, vocabulary.Count).Select(i => vocabulary[i]);
            output.WriteLine($"vocabulary:   {vocabulary.Count} tokens (blank {vocabulary.PadToken}, word delimiter {vocabulary.WordDelimiter}): {string.Join(" ", tokens)}");
        }
        else
            output.WriteLine("vocabulary:   none (no vocab.json)");
        return CliApp.Success;
    }

    private static long CountParameters(string directory, string architecture)
    {
        using TorchSharp.torch.nn.Module model = architecture switch
        {
            Wav2Vec2Pretrained.CtcArchitecture => Wav2Vec2Pretrained.LoadForCtc(directory),
            Wav2Vec2Pretrained.PreTrainingArchitecture => Wav2Vec2Pretrained.LoadForPreTraining(directory),
            _ => Wav2Vec2Pretrained.LoadModel(directory),
        };
        return model.parameters().Sum(p => p.numel());
    }

    // The file an engine reads: the first weight file TorchSharp finds, or model.onnx.
    private static string EngineFile(string directory, string engine) => engine == ModelEngines.Torch
        ? ModelDirectory.WeightFiles.First(file => File.Exists(Path.Combine(directory, file)))
        : OnnxAcousticModel.FileName;
}
