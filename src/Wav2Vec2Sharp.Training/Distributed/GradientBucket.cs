using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// Consecutive parameters whose gradients travel in one <c>MPI_Allreduce</c>: one flat fp32 buffer in host memory holds
/// the gradients, followed by one presence flag per parameter (1 where this rank has a gradient), so a single call also
/// tells every rank which parameters have a gradient on any rank.
/// </summary>
internal sealed class GradientBucket(IReadOnlyList<Parameter> parameters) : IDisposable
{
    private readonly long[] _offsets = Offsets(parameters);
    private Tensor? _buffer; // allocated on first use, kept for the run: [elements + parameters]

    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>Gradient elements the bucket carries (without the presence flags).</summary>
    public long Elements => _offsets[^1];

    /// <summary>
    /// Replaces each gradient with its sum over all ranks. A parameter with a gradient on some rank gets the sum (zeros
    /// stand in where a rank had none); one with a gradient on no rank keeps none.
    /// </summary>
    public void Reduce(ICommunicator world)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _buffer ??= zeros(Elements + parameters.Count).DetachFromDisposeScope();
        var values = MemoryMarshal.Cast<byte, float>(_buffer.bytes);
        for (int i = 0; i < parameters.Count; i++)
        {
            var slice = _buffer.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]);
            var grad = parameters[i].grad;
            if (grad is null)
            {
                slice.zero_();
                values[(int)Elements + i] = 0;
                continue;
            }
            if (grad.dtype != ScalarType.Float32)
                throw new Wav2Vec2SharpException($"gradients must be fp32 to be reduced across ranks, not {grad.dtype}.");
            slice.copy_(grad.reshape(-1));
            values[(int)Elements + i] = 1;
        }
        world.AllReduceSum(values);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (values[(int)Elements + i] == 0)
                continue;
            var parameter = parameters[i];
            if (parameter.grad is null)
                parameter.grad = zeros_like(parameter);
            parameter.grad!.copy_(_buffer.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).view_as(parameter));
        }
    }

    public void Dispose() => _buffer?.Dispose();

    private static long[] Offsets(IReadOnlyList<Parameter> parameters)
    {
        var offsets = new long[parameters.Count + 1];
        for (int i = 0; i < parameters.Count; i++)
            offsets[i + 1] = offsets[i] + parameters[i].numel();
        return offsets;
    }
}
