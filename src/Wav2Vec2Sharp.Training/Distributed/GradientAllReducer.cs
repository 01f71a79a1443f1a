using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// Sums the gradients of a model's parameters over all ranks, in buckets: each bucket's gradients are copied into one
/// flat, contiguous fp32 buffer in host memory, reduced with one <c>MPI_Allreduce</c>, and copied back (to the GPU when
/// the model is there). A parameter that has a gradient on some ranks but not on others (a layer dropped by layerdrop
/// on one rank) gets zeros where it had none, so every rank applies the same update; one that has none anywhere (a
/// frozen part) keeps none, as in a single process.
/// </summary>
/// <remarks>
/// The reduction runs after the backward pass, not overlapped with it: TorchSharp 0.107 exposes no gradient hooks on
/// tensors or backward hooks on modules to start a bucket when its gradients are ready.
/// </remarks>
public sealed class GradientAllReducer
{
    /// <summary>fairseq's and PyTorch DDP's default bucket size, 25 MiB.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly ICommunicator _world;
    private readonly long _bucketElements;

    /// <summary>Prepares the reduction of <paramref name="parameters"/>' gradients over <paramref name="world"/>.</summary>
    /// <param name="parameters">The parameters, in the same order on every rank.</param>
    /// <param name="world">The job.</param>
    /// <param name="bucketBytes">The most bytes one reduction call carries (a larger parameter travels alone).</param>
    public GradientAllReducer(IEnumerable<Parameter> parameters, ICommunicator world, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, 4L);
        _parameters = parameters.ToList();
        _world = world;
        _bucketElements = bucketBytes / sizeof(float);
    }

    /// <summary>MPI reduction calls made by the last <see cref="Reduce"/> (the gradient buckets).</summary>
    public int LastBucketCount { get; private set; }

    /// <summary>Seconds the last <see cref="Reduce"/> spent copying and communicating.</summary>
    public double LastSeconds { get; private set; }

    /// <summary>Replaces every gradient with its sum over all ranks. A no-op in a one-process job.</summary>
    public void Reduce()
    {
        LastBucketCount = 0;
        LastSeconds = 0;
        if (_world.Size == 1)
            return;
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var present = new float[_parameters.Count];
        for (int i = 0; i < present.Length; i++)
            present[i] = _parameters[i].grad is null ? 0 : 1;
        _world.AllReduceSum(present);

        var bucket = new List<Tensor>();
        long elements = 0;
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (present[i] == 0)
                continue;
            var parameter = _parameters[i];
            if (parameter.grad is null)
                parameter.grad = zeros_like(parameter);
            var grad = parameter.grad!;
            if (grad.dtype != ScalarType.Float32)
                throw new Wav2Vec2SharpException($"gradients must be fp32 to be reduced across ranks, not {grad.dtype}.");
            if (bucket.Count > 0 && elements + grad.numel() > _bucketElements)
            {
                ReduceBucket(bucket);
                bucket.Clear();
                elements = 0;
            }
            bucket.Add(grad);
            elements += grad.numel();
        }
        if (bucket.Count > 0)
            ReduceBucket(bucket);
        LastSeconds = clock.Elapsed.TotalSeconds;
    }

    private void ReduceBucket(List<Tensor> grads)
    {
        using var scope = NewDisposeScope();
        var flat = cat(grads.Select(g => g.reshape(-1)).ToList(), 0).to(CPU).contiguous();
        _world.AllReduceSum(MemoryMarshal.Cast<byte, float>(flat.bytes));
        var device = grads[0].device;
        var reduced = device.type == TorchSharp.DeviceType.CPU ? flat : flat.to(device);
        long offset = 0;
        foreach (var grad in grads)
        {
            grad.copy_(reduced.narrow(0, offset, grad.numel()).view_as(grad));
            offset += grad.numel();
        }
        LastBucketCount++;
    }
}
