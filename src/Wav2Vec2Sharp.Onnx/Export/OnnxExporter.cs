using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Onnx.Export;

/// <summary>
/// Writes a fine-tuned CTC model directory as an ONNX model directory: <c>model.onnx</c> (opset 17, dynamic batch
/// and time axes, input <c>input_values</c> <c>[batch, samples]</c>, optional <c>attention_mask</c>, output
/// <c>logits</c> <c>[batch, frames, vocab_size]</c>) beside copies of <c>config.json</c>, <c>vocab.json</c>,
/// <c>preprocessor_config.json</c> and the tokenizer files, which is the layout Hugging Face optimum writes and
/// ONNX consumers read. Written from C#; no Python or ONNX package is involved.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set of the exported graph.</summary>
    public const int Opset = 17;

    /// <summary>The files copied beside <c>model.onnx</c> when the source has them.</summary>
    public static readonly IReadOnlyList<string> CompanionFiles =
        ["config.json", "vocab.json", "preprocessor_config.json", "tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>Exports the model in <paramref name="modelDirectory"/> to <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="Wav2Vec2SharpException">The source is not a CTC model directory (no vocab.json, unreadable config or weights),
    /// or the output directory is the source or an existing file.</exception>
    public static OnnxExportResult Export(string modelDirectory, string outputDirectory, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        if (!Directory.Exists(modelDirectory))
            throw new CheckpointException($"{modelDirectory}: no such model directory.");
        if (!File.Exists(Path.Combine(modelDirectory, "vocab.json")))
            throw new CheckpointException($"{modelDirectory} has no vocab.json: only a fine-tuned CTC model can be exported.");
        if (File.Exists(outputDirectory))
            throw new CheckpointException($"{outputDirectory} is a file: the export writes a directory (model.onnx beside the model's config and vocabulary).");
        if (Path.GetFullPath(modelDirectory).TrimEnd('/') == Path.GetFullPath(outputDirectory).TrimEnd('/'))
            throw new CheckpointException($"{outputDirectory}: the export needs a directory other than the model's own.");

        TorchRuntime.EnsureLoaded();
        using var model = Wav2Vec2Pretrained.LoadForCtc(modelDirectory);
        var featureExtractor = ModelDirectory.ReadFeatureExtractor(modelDirectory, model.Config);
        bool mask = options.AttentionMaskInput ?? featureExtractor.ReturnAttentionMask;

        Directory.CreateDirectory(outputDirectory);
        var modelPath = Path.Combine(outputDirectory, "model.onnx");
        var (quantized, convolutions, weightBytes) = Write(model, modelPath, options.Weights, mask);
        foreach (var file in CompanionFiles.Where(f => File.Exists(Path.Combine(modelDirectory, f))))
            AtomicFile.Write(Path.Combine(outputDirectory, file), temp => File.Copy(Path.Combine(modelDirectory, file), temp));
        return new OnnxExportResult(outputDirectory, modelPath, new FileInfo(modelPath).Length, weightBytes, quantized, mask, convolutions);
    }

    /// <summary>Writes <paramref name="model"/>'s graph to <paramref name="path"/> (through a temporary file).</summary>
    /// <returns>The linear layers and convolutions stored in int8, and the model's fp32 weight bytes.</returns>
    internal static (int QuantizedLinears, int QuantizedConvolutions, long Float32WeightBytes) Write(Wav2Vec2ForCtc model, string path, OnnxWeights weights, bool attentionMaskInput)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var builder = new Wav2Vec2GraphBuilder(model, weights == OnnxWeights.Int8);
        var graph = builder.Build(attentionMaskInput);
        var config = model.Config;
        var metadata = new Dictionary<string, string>
        {
            ["model_type"] = config.ModelType,
            ["vocab_size"] = config.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["weights"] = weights == OnnxWeights.Int8 ? "int8" : "float32",
            ["inputs_to_logits_ratio"] = config.InputsToLogitsRatio.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var proto = graph.ToModel(Opset, typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0", metadata);
        AtomicFile.Write(path, (Stream stream) => proto.WriteTo(stream));
        long fp32Bytes = model.parameters().Sum(p => p.numel()) * sizeof(float);
        return (builder.QuantizedLinears, builder.QuantizedConvolutions, fp32Bytes);
    }
}
