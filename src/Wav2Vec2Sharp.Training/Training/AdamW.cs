using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// AdamW (decoupled weight decay) with the arithmetic of TorchSharp's <see cref="TorchSharp.Modules.AdamW"/>, bit for
/// bit, but with every Scalar held until libtorch has read it: TorchSharp's step passes temporaries
/// (<c>addcmul_(…, value: 1 - β2)</c>) that a collection on another thread can finalize mid-call (see
/// <see cref="HeldScalars"/>). It keeps TorchSharp's state and its type name, which TorchSharp writes into
/// <c>optimizer.bin</c> and checks on loading, so checkpoints move between the two. AMSGrad and maximisation are not offered.
/// </summary>
internal sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
    : TorchSharp.Modules.AdamW(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad: false, maximize: false)
{
    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
#pragma warning disable RS0030 // binds to the banned AdamW.step, but runs the override below
        step();
#pragma warning restore RS0030
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        if (options.amsgrad == true || options.maximize == true) // a state file of TorchSharp's AdamW may carry them
            throw new NotSupportedException("AMSGrad and maximisation are not supported; this optimizer state asks for one of them.");
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
        double lr = options.LearningRate!.Value, weightDecay = options.weight_decay!.Value;
        using var decay = (1 - lr * weightDecay).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradientWeight = (1 - beta1).ToScalar();
        using var squareWeight = (1 - beta2).ToScalar();
        using var epsScalar = eps.ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null)
                continue;
            state.step += 1;
            param.mul_(decay);
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(beta1Scalar).add_(grad, gradientWeight);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad, squareWeight);
            using var rootBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            var denominator = state.exp_avg_sq.sqrt().div(rootBiasCorrection2).add_(epsScalar, HeldScalars.One);
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
