using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// Hugging Face's <c>Wav2Vec2PreTrainedModel._init_weights</c>, applied by each block to its own parameters so that a
/// freshly built model is ready to train from scratch (and has no uninitialised values: TorchSharp 0.107's GroupNorm
/// leaves its affine parameters unset).
/// </summary>
internal static class Initialization
{
    /// <summary>Linear layers of the Transformer and heads: weight ~ N(0, <paramref name="std"/>), bias 0.</summary>
    public static void Normal(Linear linear, double std)
    {
        using var noGrad = no_grad();
        nn.init.normal_(linear.weight!, 0.0, std);
        if (linear.bias is { } bias)
            nn.init.zeros_(bias);
    }

    /// <summary>Weight and bias ~ U(−1/√fan_in, 1/√fan_in) (the feature projection).</summary>
    public static void UniformFanIn(Linear linear)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(linear.in_features);
        nn.init.uniform_(linear.weight!, -bound, bound);
        if (linear.bias is { } bias)
            nn.init.uniform_(bias, -bound, bound);
    }

    /// <summary>Conv weight Kaiming-normal (fan-in, gain √2), bias ~ U(±√(groups / (C_in·k))).</summary>
    public static void KaimingConv(Conv1d conv, int inChannels, int kernel)
    {
        using var noGrad = no_grad();
        nn.init.kaiming_normal_(conv.weight!);
        if (conv.bias is { } bias)
        {
            var bound = Math.Sqrt(1.0 / (inChannels * kernel));
            nn.init.uniform_(bias, -bound, bound);
        }
    }

    /// <summary>LayerNorm / GroupNorm: weight 1, bias 0.</summary>
    public static void Norm(nn.Module norm)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in norm.named_parameters())
        {
            if (name == "weight")
                nn.init.ones_(parameter);
            else
                nn.init.zeros_(parameter);
        }
    }
}
