using System.CommandLine;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Onnx;
using Wav2Vec2Sharp.Runtime;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// The one place the commands that transcribe (<c>transcribe</c>, <c>evaluate</c>, <c>align</c>, <c>tune-lm</c>,
/// <c>serve</c>) load a model directory: <c>--engine torch</c> runs its TorchSharp weights (<c>model.safetensors</c>,
/// <c>pytorch_model.bin</c>, or their sharded index), <c>--engine onnx</c> its <c>model.onnx</c> on ONNX Runtime, and
/// <c>--engine auto</c> (the default) the first of the two the directory holds.
/// </summary>
internal static class ModelEngines
{
    public const string Auto = "auto";
    public const string Torch = "torch";
    public const string Onnx = "onnx";

    /// <summary>The description of <c>--threads</c> for a command that runs a model on either engine.</summary>
    public const string ThreadsDescription = "CPU threads for the model (0 = the engine's default)";

    /// <summary>A new <c>--engine</c> option (auto, torch or onnx; default auto).</summary>
    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--engine")
        {
            Description = "Engine that runs the model: torch (TorchSharp weights), onnx (model.onnx on ONNX Runtime), or auto: torch when the directory has its weights, else onnx",
            DefaultValueFactory = _ => Auto,
        };
        option.AcceptOnlyFromAmong(Auto, Torch, Onnx);
        return option;
    }

    /// <summary>Whether <paramref name="directory"/> holds weights the TorchSharp engine reads.</summary>
    public static bool HasTorchWeights(string directory) => ModelDirectory.WeightFiles.Any(file => File.Exists(Path.Combine(directory, file)));

    /// <summary>The engines whose files <paramref name="directory"/> holds, in the order <c>auto</c> tries them.</summary>
    public static IReadOnlyList<string> Available(string directory) =>
        [.. HasTorchWeights(directory) ? [Torch] : Array.Empty<string>(), .. OnnxAcousticModel.IsOnnxDirectory(directory) ? [Onnx] : Array.Empty<string>()];

    /// <summary>The engine that runs <paramref name="directory"/> when <paramref name="engine"/> is asked for.</summary>
    /// <exception cref="CheckpointException">The directory does not exist, or lacks the files of the engine asked for.</exception>
    public static string Resolve(string directory, string engine)
    {
        if (!Directory.Exists(directory))
            throw new CheckpointException(File.Exists(directory)
                ? $"{directory} is a file: --model takes a model directory (config.json, weights, vocab.json)."
                : $"{directory}: model directory not found.");
        bool torch = HasTorchWeights(directory), onnx = OnnxAcousticModel.IsOnnxDirectory(directory);
        var weightFiles = Or(ModelDirectory.WeightFiles);
        return engine switch
        {
            Auto when torch => Torch,
            Auto when onnx => Onnx,
            Auto => throw new CheckpointException($"{directory} has no model to run: neither TorchSharp weights ({weightFiles}) nor {OnnxAcousticModel.FileName}."),
            Torch when torch => Torch,
            Torch => throw new CheckpointException($"{directory} has no TorchSharp weights for --engine torch (no {weightFiles})" +
                                                   (onnx ? $"; its {OnnxAcousticModel.FileName} runs with --engine onnx." : ".")),
            Onnx when onnx => Onnx,
            Onnx => throw new CheckpointException($"{directory} has no {OnnxAcousticModel.FileName} for --engine onnx (w2v export onnx writes one)."),
            _ => throw new ArgumentException($"--engine must be {Auto}, {Torch} or {Onnx}, not {engine}."),
        };
    }

    /// <summary>Loads the transcriber of <paramref name="directory"/> on the engine <paramref name="engine"/> resolves to.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="engine">auto, torch or onnx.</param>
    /// <param name="threads">CPU threads: libtorch's for torch, ONNX Runtime's intra-op threads for onnx; 0 leaves the engine's default.</param>
    /// <param name="decoderFactory">Builds the decoder from the vocabulary; greedy when <c>null</c>.</param>
    public static Transcriber Load(string directory, string engine, int threads, Func<Vocabulary, ICtcDecoder>? decoderFactory = null)
    {
        if (threads < 0)
            throw new ArgumentException($"--threads must be 0 (the engine's default) or more, not {threads}.");
        if (Resolve(directory, engine) == Onnx)
            return OnnxAcousticModel.LoadTranscriber(directory, decoderFactory, threads);
        TorchRuntime.SetThreads(threads);
        return Transcriber.Load(directory, decoderFactory);
    }

    /// <summary>The engine's name of a loaded acoustic model.</summary>
    public static string NameOf(IAcousticModel model) => model switch
    {
        OnnxAcousticModel => Onnx,
        TorchAcousticModel => Torch,
        _ => model.GetType().Name,
    };

    private static string Or(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
}
