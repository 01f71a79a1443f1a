using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Onnx.Export;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// Mode onnx-export: a random model of --arch (seed --seed, vocabulary of --aux tokens) saved as an HF directory under
/// --model DIR/torch and exported by <see cref="OnnxExporter"/> to DIR/fp32 and DIR/int8, for mode onnx to time.
/// One JSON line with the sizes and export times.
/// </summary>
internal static class OnnxExportBench
{
    public static void Run(Wav2Vec2Config config, string arch, string directory)
    {
        var torchDirectory = Path.Combine(directory, "torch");
        using (var model = new Wav2Vec2ForCtc(config))
            Wav2Vec2Pretrained.Save(model, torchDirectory, new Vocabulary(["<pad>", "|", .. Enumerable.Range(2, config.VocabSize - 2).Select(i => $"T{i}")]));
        var result = new Dictionary<string, object?> { ["impl"] = "Wav2Vec2Sharp.Onnx", ["mode"] = "onnx-export", ["arch"] = arch };
        foreach (var (name, weights) in new[] { ("fp32", OnnxWeights.Float32), ("int8", OnnxWeights.Int8) })
        {
            var clock = Stopwatch.StartNew();
            var export = OnnxExporter.Export(torchDirectory, Path.Combine(directory, name), new OnnxExportOptions { Weights = weights });
            result[$"{name}_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
            result[$"{name}_bytes"] = export.ModelBytes;
            result[$"{name}_quantized_linears"] = export.QuantizedLinears;
            result["float32_weight_bytes"] = export.Float32WeightBytes;
        }
        Console.WriteLine(JsonSerializer.Serialize(result));
    }
}
