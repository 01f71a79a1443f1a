using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Wav2Vec2Sharp.Tests.Onnx;

/// <summary>The torchaudio parity fixtures (tests/fixtures/parity) and an ONNX Runtime call on torch tensors.</summary>
internal static class OnnxTestSupport
{
    public static TheoryData<string> Variants => new(["group_postln_nobias", "group_postln_bias", "group_stableln_nobias", "group_stableln_bias",
        "layer_postln_nobias", "layer_postln_bias", "layer_stableln_nobias", "layer_stableln_bias"]);

    public static Dictionary<string, Tensor> Inputs() => SafetensorsFile.Read(Fixtures.Path("parity/inputs.safetensors"));

    public static Dictionary<string, Tensor> Reference(string variant) =>
        SafetensorsFile.Read(Fixtures.Path($"parity/{variant}/activations.safetensors"));

    /// <summary>Logits <c>[B, T, V]</c> of <paramref name="inputValues"/> <c>[B, N]</c>; the mask is passed when the graph takes one.</summary>
    public static Tensor Logits(InferenceSession session, Tensor inputValues, Tensor? attentionMask = null)
    {
        var shape = inputValues.shape.Select(d => (int)d).ToArray();
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_values", new DenseTensor<float>(inputValues.contiguous().data<float>().ToArray(), shape)),
        };
        if (session.InputMetadata.ContainsKey("attention_mask"))
        {
            var mask = attentionMask?.contiguous().data<long>().ToArray() ?? Enumerable.Repeat(1L, shape[0] * shape[1]).ToArray();
            inputs.Add(NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)));
        }
        using var results = session.Run(inputs);
        var logits = results.Single(r => r.Name == "logits").AsTensor<float>();
        return tensor(logits.ToArray(), logits.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }

    /// <summary>Relative size of the difference: ‖actual − expected‖ / ‖expected‖.</summary>
    public static double RelativeError(Tensor expected, Tensor actual) =>
        (actual - expected).norm().item<float>() / expected.norm().item<float>();
}
