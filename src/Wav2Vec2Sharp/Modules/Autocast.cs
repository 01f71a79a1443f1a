using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Modules;

/// <summary>
/// Mixed precision for the matrix-heavy layers (TorchSharp has no <c>torch.autocast</c>): inside a
/// <see cref="Enable"/> scope, the feature-encoder convolutions and the Transformer's linear layers multiply in
/// bfloat16 (weights cast on the fly, fp32 master weights keep receiving fp32 gradients) and return fp32. Norms,
/// softmax, attention, the quantizer and the losses stay fp32, as fairseq keeps them.
/// </summary>
public static class Autocast
{
    [ThreadStatic]
    private static ScalarType? _dtype;

    /// <summary>The reduced precision in force on this thread, or null.</summary>
    public static ScalarType? ComputeDtype => _dtype;

    /// <summary>Runs matrix-heavy layers in <paramref name="dtype"/> until the returned scope is disposed.</summary>
    public static IDisposable Enable(ScalarType dtype = ScalarType.BFloat16) => new Scope(dtype);

    /// <summary><paramref name="layer"/> applied to <paramref name="x"/>, in reduced precision when enabled.</summary>
    internal static Tensor Linear(Linear layer, Tensor x)
    {
        if (_dtype is not { } dtype)
            return layer.call(x);
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(x.to_type(dtype), layer.weight!.to_type(dtype), layer.bias?.to_type(dtype));
        return y.to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>A 1-D convolution without padding, in reduced precision when enabled.</summary>
    internal static Tensor Conv(Conv1d layer, Tensor x, long stride)
    {
        if (_dtype is not { } dtype)
            return layer.call(x);
        using var scope = NewDisposeScope();
        var y = nn.functional.conv1d(x.to_type(dtype), layer.weight!.to_type(dtype), layer.bias?.to_type(dtype), stride: stride);
        return y.to_type(x.dtype).MoveToOuterDisposeScope();
    }

    private sealed class Scope : IDisposable
    {
        private readonly ScalarType? _previous = _dtype;

        public Scope(ScalarType dtype) => _dtype = dtype;

        public void Dispose() => _dtype = _previous;
    }
}
