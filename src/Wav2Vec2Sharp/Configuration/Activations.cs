using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Configuration;

/// <summary>The activation functions a configuration may name (HF <c>ACT2FN</c> subset).</summary>
internal static class Activations
{
    public const string SupportedNames = "\"gelu\", \"gelu_new\", \"gelu_pytorch_tanh\", \"relu\", \"silu\" or \"swish\"";

    public static bool IsSupported(string name) => name is "gelu" or "gelu_new" or "gelu_pytorch_tanh" or "relu" or "silu" or "swish";

    /// <summary>Applies the named activation; "gelu" is the exact erf form.</summary>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => x.gelu(TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => nn.functional.relu(x),
        "silu" or "swish" => nn.functional.silu(x),
        _ => throw new ArgumentException($"unsupported activation \"{name}\"", nameof(name)),
    };
}
