using Microsoft.ML.OnnxRuntime;
using Wav2Vec2Sharp.Onnx.Export;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using static Wav2Vec2Sharp.Tests.Onnx.OnnxTestSupport;

namespace Wav2Vec2Sharp.Tests.Onnx;

public sealed class Int8ExportTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void Per_channel_int8_weights_give_back_each_weight_within_half_a_step_and_use_the_full_range()
    {
        var random = new Random(3);
        int rows = 40, columns = 7;
        var weight = Enumerable.Range(0, rows * columns).Select(i => (float)(random.NextDouble() - 0.5) * (1 + i % columns)).ToArray();
        weight[5 * columns + 2] = 0; // columns keep their own scale
        var zeroColumn = Enumerable.Range(0, rows).Select(r => r * columns + 6).ToList();
        foreach (var index in zeroColumn)
            weight[index] = 0;

        var (values, scales) = Int8Weights.PerOutputChannel(weight, rows, columns);

        for (int c = 0; c < columns - 1; c++)
        {
            var column = Enumerable.Range(0, rows).Select(r => r * columns + c).ToList();
            Assert.Equal(127, column.Max(i => Math.Abs((int)values[i])));
            Assert.Equal(column.Max(i => MathF.Abs(weight[i])) / 127f, scales[c], 6);
            Assert.All(column, i => Assert.True(MathF.Abs(values[i] * scales[c] - weight[i]) <= scales[c] / 2 + 1e-7f, $"weight {i}"));
        }
        Assert.Equal(1f, scales[6]);
        Assert.All(zeroColumn, i => Assert.Equal(0, values[i]));
    }

    [Theory]
    [InlineData("group_postln_bias")]
    [InlineData("layer_stableln_nobias")]
    public void An_int8_export_quantizes_every_Transformer_linear_and_convolution_and_stays_within_a_few_percent_of_the_fp32_logits(string variant)
    {
        var source = Fixtures.Path("parity/" + variant);
        var fp32 = OnnxExporter.Export(source, Path.Combine(_temp.Root, "fp32"));
        var int8 = OnnxExporter.Export(source, Path.Combine(_temp.Root, "int8"), new OnnxExportOptions { Weights = OnnxWeights.Int8 });
        using var fp32Session = new InferenceSession(fp32.ModelPath);
        using var int8Session = new InferenceSession(int8.ModelPath);
        var input = Inputs()["single.input_values"];

        Assert.Equal(0, fp32.QuantizedLinears);
        Assert.Equal(2 * 6 + 1, int8.QuantizedLinears); // 2 layers × (q, k, v, out, 2 feed-forward) + the feature projection
        Assert.Equal(7 + 1, int8.QuantizedConvolutions); // the CNN's 7 layers + the positional convolution
        Assert.True(int8.ModelBytes < fp32.ModelBytes, $"int8 {int8.ModelBytes} B, fp32 {fp32.ModelBytes} B");
        var error = RelativeError(Logits(fp32Session, input), Logits(int8Session, input));
        Assert.InRange(error, 1e-4, 0.05); // quantized (not identical), yet close
    }

    public void Dispose() => _temp.Dispose();
}
