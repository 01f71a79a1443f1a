using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// The identity, whose backward runs a callback before passing the gradient on: placed on a layer's input, the callback
/// runs once the backward pass has gone through the whole layer. libtorch's autograd engine runs a parameter's gradient
/// accumulation as soon as the node that produced the gradient has run (accumulation nodes have the highest priority in
/// its ready queue), and every node of the layer comes before the gradient of the layer's input is complete, so by then
/// every parameter of the layer holds its final gradient for this backward pass.
/// </summary>
internal sealed class BackwardSignal : autograd.SingleTensorFunction<BackwardSignal>
{
    private const string CallbackKey = "callback";

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
        return [grad_output, null!];
    }
}
