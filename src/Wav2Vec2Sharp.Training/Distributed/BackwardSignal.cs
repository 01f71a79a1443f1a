using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// The identity, whose backward runs a callback before passing the gradient on: placed on a layer's input, the callback
/// runs once the backward pass has gone through the whole layer. libtorch's autograd engine takes ready nodes from a
/// priority queue, highest sequence number first: the layer's nodes were created after this one (higher numbers) and a
/// parameter's gradient accumulation has the highest number of all, so every parameter of the layer holds its final
/// gradient for this backward pass when the callback runs. This holds for a layer on one device (one queue); on a GPU
/// the gradients' copies must run on the stream the backward pass used (the default stream, as here).
/// </summary>
internal sealed class BackwardSignal : autograd.SingleTensorFunction<BackwardSignal>
{
    private const string CallbackKey = "callback";
    private const string GradientKey = "gradient";

    /// <inheritdoc/>
    public override string Name => nameof(BackwardSignal);

    /// <summary>
    /// Returns <paramref name="input"/> itself where no gradient flows through it; otherwise the identity of it whose
    /// backward first runs <paramref name="callback"/> (on the autograd engine's thread: keep it short, and it must not throw).
    /// </summary>
    public static Tensor Wrap(Tensor input, Action callback) =>
        is_grad_enabled() && input.requires_grad ? apply(input, callback) : input;

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(CallbackKey, vars[1]);
        return (Tensor)vars[0];
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ((Action)ctx.get_data(CallbackKey))();
        // Held by the node until the graph is freed: on a device thread no dispose scope holds the managed wrapper, and
        // libtorch reads the returned tensor after this method returns.
        ctx.save_data(GradientKey, new System.Runtime.CompilerServices.StrongBox<Tensor>(grad_output));
        return [grad_output, null!];
    }
}
