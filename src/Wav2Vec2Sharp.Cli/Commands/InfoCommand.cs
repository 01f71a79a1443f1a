using System.CommandLine;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary><c>w2v info --model DIR</c>: architecture, parameter count and vocabulary of a model directory.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Hugging Face model directory (config.json + weights)", Required = true };
        var command = new Command("info", "Print a model's architecture, parameter count and vocabulary.") { model };
        command.SetAction(parse => CliApp.Guard(error, () => Run(parse.GetValue(model)!.FullName, output)));
        return command;
    }

    private static int Run(string directory, TextWriter output)
    {
        var config = ModelDirectory.ReadConfig(directory);
        var architecture = config.Architectures?.FirstOrDefault() ?? Wav2Vec2Pretrained.ModelArchitecture;
        using TorchSharp.torch.nn.Module model = architecture switch
        {
            Wav2Vec2Pretrained.CtcArchitecture => Wav2Vec2Pretrained.LoadForCtc(directory),
            Wav2Vec2Pretrained.PreTrainingArchitecture => Wav2Vec2Pretrained.LoadForPreTraining(directory),
            _ => Wav2Vec2Pretrained.LoadModel(directory),
        };
        long parameters = model.parameters().Sum(p => p.numel());
        output.WriteLine($"model:        {directory}");
        output.WriteLine($"architecture: {architecture} ({(config.DoStableLayerNorm ? "stable-layer-norm (pre-LN) encoder" : "post-LN encoder")}, " +
                         $"\"{config.FeatExtractNorm}\"-norm feature encoder{(config.ConvBias ? " with conv bias" : "")})");
        output.WriteLine($"encoder:      {config.NumHiddenLayers} layers × {config.HiddenSize} wide, {config.NumAttentionHeads} heads, FFN {config.IntermediateSize}");
        output.WriteLine($"features:     {config.ConvDim.Count} conv layers ({config.ConvDim[^1]} channels), {config.InputsToLogitsRatio} samples per frame, receptive field {config.ReceptiveField} samples");
        output.WriteLine($"parameters:   {parameters:N0}");
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
}
