using System.CommandLine;
using System.Globalization;
using Wav2Vec2Sharp.Onnx.Export;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// <c>w2v export FORMAT</c>: a model directory written for other runtimes. <c>w2v export onnx --model DIR --out DIR2</c>
/// writes <c>model.onnx</c> (fp32, or int8 linear layers with <c>--quantize int8</c>) beside the model's configuration
/// and vocabulary, which <c>w2v transcribe --model DIR2</c> and the other commands run on ONNX Runtime.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error) =>
        new("export", "Write a model in another format for other runtimes.") { Onnx(output, error) };

    private static Command Onnx(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Fine-tuned CTC model directory (config.json, weights, vocab.json)", Required = true };
        var outDir = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Directory to write: model.onnx beside copies of config.json, vocab.json and preprocessor_config.json", Required = true,
        };
        var quantize = new Option<string?>("--quantize")
        {
            Description = "int8: the feature projection's and the Transformer's linear layers in int8 (ONNX Runtime dynamic quantization) and the convolutions' weights stored in int8; default fp32",
        };
        quantize.AcceptOnlyFromAmong("int8");
        var attentionMask = new Option<bool?>("--attention-mask")
        {
            HelpName = "true|false",
            Description = "Whether the graph takes an attention_mask input for padded batches: true or false (default: preprocessor_config.json's return_attention_mask)",
        };
        var command = new Command("onnx", $"Export a fine-tuned CTC model to ONNX (opset {OnnxExporter.Opset}) for ONNX Runtime; w2v transcribe --model OUT runs the result.")
        {
            model, outDir, quantize, attentionMask,
        };
        command.SetAction(parse => CliApp.Guard(error, () => RunOnnx(parse.GetValue(model)!.FullName, parse.GetValue(outDir)!.FullName, new OnnxExportOptions
        {
            Weights = parse.GetValue(quantize) == "int8" ? OnnxWeights.Int8 : OnnxWeights.Float32,
            AttentionMaskInput = parse.GetValue(attentionMask),
        }, output)));
        return command;
    }

    private static int RunOnnx(string modelDirectory, string outputDirectory, OnnxExportOptions options, TextWriter output)
    {
        bool existed = Directory.Exists(outputDirectory);
        OnnxExportResult result;
        try
        {
            result = OnnxExporter.Export(modelDirectory, outputDirectory, options);
        }
        catch when (!existed && Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true); // made by this run: leave nothing half-written behind
            throw;
        }
        output.WriteLine(Summary(result));
        return CliApp.Success;
    }

    /// <summary>One line: what was written, how large against the fp32 weights, and the graph's inputs.</summary>
    internal static string Summary(OnnxExportResult result)
    {
        var weights = result.QuantizedLinears > 0
            ? $"int8: {result.QuantizedLinears} linear layer{(result.QuantizedLinears == 1 ? "" : "s")}, {result.QuantizedConvolutions} convolution weight{(result.QuantizedConvolutions == 1 ? "" : "s")}"
            : "fp32";
        var inputs = result.AttentionMaskInput ? "input_values, attention_mask" : "input_values";
        return $"exported {result.ModelPath}: {Count(result.Float32WeightBytes / sizeof(float))} parameters, fp32 weights {Bytes(result.Float32WeightBytes)} " +
               $"→ model {Bytes(result.ModelBytes)} ({weights}), inputs {inputs}, opset {OnnxExporter.Opset}";
    }

    /// <summary>A count with a k or M unit (one decimal) from a thousand up.</summary>
    internal static string Count(long n) => n switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:0.0} M"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e3:0.0} k"),
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A size in B, kB, MB or GB (decimal units, one decimal).</summary>
    internal static string Bytes(long n) => n switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e9:0.0} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:0.0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e3:0.0} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n} B"),
    };
}
