using Microsoft.ML.OnnxRuntime;
using Wav2Vec2Sharp.Onnx.Export;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using static Wav2Vec2Sharp.Tests.Onnx.OnnxTestSupport;

namespace Wav2Vec2Sharp.Tests.Onnx;

public sealed class OnnxExportParityTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(OnnxTestSupport))]
    public void The_exported_graph_in_ONNX_Runtime_gives_torchaudios_logits_for_one_clip_and_a_padded_batch(string variant)
    {
        var inputs = Inputs();
        var reference = Reference(variant);
        var result = OnnxExporter.Export(Fixtures.Path("parity/" + variant), Path.Combine(_temp.Root, variant), new OnnxExportOptions { AttentionMaskInput = true });
        using var session = new InferenceSession(result.ModelPath);

        Assert.Equal(["input_values", "attention_mask"], session.InputMetadata.Keys);
        Assert.Equal([-1, -1], session.InputMetadata["input_values"].Dimensions); // dynamic batch and time
        Assert.Equal([-1, -1, 12], session.OutputMetadata["logits"].Dimensions);
        var tolerance = TensorAssert.ParityTolerance("logits");
        TensorAssert.Close(reference["single.logits"], Logits(session, inputs["single.input_values"]), tolerance, $"{variant}/single.logits");
        TensorAssert.Close(reference["batch.logits"], Logits(session, inputs["batch.input_values"], inputs["batch.attention_mask"]), tolerance,
            $"{variant}/batch.logits");
    }

    [Theory]
    [MemberData(nameof(Variants), MemberType = typeof(OnnxTestSupport))]
    public void Without_a_mask_input_the_graph_takes_audio_alone_and_gives_the_same_logits(string variant)
    {
        var result = OnnxExporter.Export(Fixtures.Path("parity/" + variant), Path.Combine(_temp.Root, variant), new OnnxExportOptions { AttentionMaskInput = false });
        using var session = new InferenceSession(result.ModelPath);

        Assert.Equal(["input_values"], session.InputMetadata.Keys);
        TensorAssert.Close(Reference(variant)["single.logits"], Logits(session, Inputs()["single.input_values"]), TensorAssert.ParityTolerance("logits"),
            $"{variant}/single.logits");
    }

    [Fact]
    public void The_model_directory_gets_the_companion_files_and_a_mask_input_as_its_preprocessor_says()
    {
        var source = Fixtures.Path("parity/layer_postln_bias");
        var result = OnnxExporter.Export(source, _temp.Root);

        foreach (var file in new[] { "config.json", "vocab.json", "preprocessor_config.json" })
            Assert.Equal(File.ReadAllText(Path.Combine(source, file)), File.ReadAllText(Path.Combine(_temp.Root, file)));
        Assert.Equal(Path.Combine(_temp.Root, "model.onnx"), result.ModelPath);
        Assert.Equal(new FileInfo(result.ModelPath).Length, result.ModelBytes);
        Assert.Empty(Directory.GetFiles(_temp.Root, "*.tmp"));
        var returnsMask = File.ReadAllText(Path.Combine(source, "preprocessor_config.json")).Contains("\"return_attention_mask\": true", StringComparison.Ordinal);
        Assert.Equal(returnsMask, result.AttentionMaskInput);
    }

    public void Dispose() => _temp.Dispose();
}
