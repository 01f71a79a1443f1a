using System.Diagnostics;
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
/// With <see cref="OverlapWithBackward"/>, each layer's buckets are reduced on a communication thread while the backward
/// pass goes on through the layers below it, as PyTorch's DistributedDataParallel does. TorchSharp 0.107 has no
/// gradient hooks; the signal is a custom autograd function (the identity) on each layer's input, whose backward runs
/// once every parameter of the layer holds its gradient. Buckets are reduced in the same order on every rank (last
/// layer first, then the parameters outside the layers), whichever rank's layer is ready first.
/// </remarks>
public sealed class GradientAllReducer : IDisposable
{
    /// <summary>fairseq's and PyTorch DDP's default bucket size, 25 MiB.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly ICommunicator _world;
    private readonly long _bucketElements;
    private readonly List<Action> _removeHooks = [];
    private List<GradientBucket> _buckets;
    private ManualResetEventSlim[] _ready = [];
    private Task? _inFlight;
    private volatile bool _armed;
    private double _communicationSeconds;

    /// <summary>Prepares the reduction of <paramref name="parameters"/>' gradients over <paramref name="world"/>.</summary>
    /// <param name="parameters">The parameters, in the same order on every rank.</param>
    /// <param name="world">The job.</param>
    /// <param name="bucketBytes">The most bytes of gradients one reduction call carries (a larger parameter travels alone).</param>
    public GradientAllReducer(IEnumerable<Parameter> parameters, ICommunicator world, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, 4L);
        _parameters = parameters.ToList();
        _world = world;
        _bucketElements = bucketBytes / sizeof(float);
        _buckets = Split(_parameters);
    }

    /// <summary>MPI reduction calls made by the last <see cref="Reduce"/> (the gradient buckets).</summary>
    public int LastBucketCount { get; private set; }

    /// <summary>Seconds the last <see cref="Reduce"/> kept its caller waiting: all of the reduction without overlap, what the backward pass did not hide with it.</summary>
    public double LastSeconds { get; private set; }

    /// <summary>Seconds the buckets of the last <see cref="Reduce"/> took to copy and communicate, hidden or not.</summary>
    public double LastCommunicationSeconds { get; private set; }

    /// <summary>Whether layers' buckets are reduced during the backward pass (<see cref="OverlapWithBackward"/>).</summary>
    public bool Overlaps { get; private set; }

    /// <summary>
    /// Reduces each of <paramref name="layers"/>' gradients as soon as the backward pass has gone through the layer, on a
    /// communication thread, from the backward pass after <see cref="ArmForNextBackward"/> on. The layers' parameters
    /// form their own buckets; the other parameters are reduced by <see cref="Reduce"/>. Call once, before training; a
    /// no-op in a one-process job. The layers must be called through <c>call</c> (which runs forward pre-hooks), with
    /// an input that carries the gradient to everything below them.
    /// </summary>
    /// <param name="layers">Layers whose parameters are among this reducer's, in forward order.</param>
    public void OverlapWithBackward(IEnumerable<nn.Module<Tensor, Tensor?, Tensor>> layers)
    {
        if (Overlaps)
            throw new InvalidOperationException("the overlap is already set up.");
        if (_world.Size == 1)
            return;
        var layerList = layers.ToList();
        var position = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Count; i++)
            position[_parameters[i]] = i;
        var claimed = new bool[_parameters.Count];
        var perLayer = new List<List<Parameter>>();
        foreach (var layer in layerList)
        {
            var own = new List<Parameter>();
            foreach (var p in layer.parameters())
            {
                if (!position.TryGetValue(p, out int i))
                    throw new ArgumentException($"a parameter of layer {perLayer.Count} is not among the reducer's parameters.", nameof(layers));
                if (claimed[i])
                    throw new ArgumentException($"a parameter of layer {perLayer.Count} belongs to another layer too.", nameof(layers));
                claimed[i] = true;
                own.Add(_parameters[i]);
            }
            perLayer.Add(own);
        }
        // Reduction order = readiness order in the backward pass: the last layer first, then the others down, then the rest.
        var buckets = new List<GradientBucket>();
        var layerBuckets = new int[layerList.Count][];
        for (int l = layerList.Count - 1; l >= 0; l--)
        {
            int first = buckets.Count;
            buckets.AddRange(Split(perLayer[l]));
            layerBuckets[l] = Enumerable.Range(first, buckets.Count - first).ToArray();
        }
        buckets.AddRange(Split(_parameters.Where((_, i) => !claimed[i]).ToList()));
        foreach (var bucket in _buckets)
            bucket.Dispose();
        _buckets = buckets;
        Overlaps = true;
        _ready = buckets.Select(_ => new ManualResetEventSlim(false)).ToArray();
        for (int l = 0; l < layerList.Count; l++)
        {
            var mine = layerBuckets[l];
            void Ready()
            {
                if (!_armed)
                    return;
                foreach (int b in mine)
                    _ready[b].Set();
            }
            var hook = layerList[l].register_forward_pre_hook((_, input, mask) => (BackwardSignal.Wrap(input, Ready), mask));
            _removeHooks.Add(hook.remove);
        }
    }

    /// <summary>
    /// Starts the communication thread for the next backward pass, the one that completes this update's gradients (the
    /// last micro-batch's with <c>--update-freq</c>): each layer's buckets are reduced as soon as the pass has gone through
    /// the layer. <see cref="Reduce"/> then reduces the rest and waits. A no-op without <see cref="OverlapWithBackward"/>.
    /// </summary>
    public void ArmForNextBackward()
    {
        if (!Overlaps)
            return;
        if (_inFlight is not null)
            throw new InvalidOperationException("the previous backward pass's gradients have not been reduced yet.");
        foreach (var ready in _ready)
            ready.Reset();
        _communicationSeconds = 0;
        _armed = true;
        _inFlight = Task.Factory.StartNew(ReduceInOrder, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Replaces every gradient with its sum over all ranks; with the overlap armed, reduces what the backward pass has not
    /// yet and waits for the communication thread. A no-op in a one-process job.
    /// </summary>
    public void Reduce()
    {
        LastBucketCount = 0;
        LastSeconds = 0;
        LastCommunicationSeconds = 0;
        if (_world.Size == 1)
            return;
        var clock = Stopwatch.StartNew();
        if (_inFlight is null)
        {
            _communicationSeconds = 0;
            ReduceAll();
        }
        else
        {
            _armed = false;
            foreach (var ready in _ready)
                ready.Set();
            var inFlight = _inFlight;
            _inFlight = null;
            try
            {
                inFlight.Wait();
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            }
        }
        LastBucketCount = _buckets.Count;
        LastSeconds = clock.Elapsed.TotalSeconds;
        LastCommunicationSeconds = _communicationSeconds;
    }

    /// <summary>
    /// Removes the layers' hooks and frees the host buffers. After an exception between <see cref="ArmForNextBackward"/>
    /// and <see cref="Reduce"/> the communication thread may still be inside MPI with them: they are then left to the
    /// process, whose job is to be aborted.
    /// </summary>
    public void Dispose()
    {
        foreach (var remove in _removeHooks)
            remove();
        _removeHooks.Clear();
        if (_inFlight is { IsCompleted: false })
        {
            _armed = false;
            return;
        }
        foreach (var bucket in _buckets)
            bucket.Dispose();
        foreach (var ready in _ready)
            ready.Dispose();
    }

    private void ReduceAll()
    {
        foreach (var bucket in _buckets)
            ReduceTimed(bucket);
    }

    private void ReduceInOrder()
    {
        for (int b = 0; b < _buckets.Count; b++)
        {
            _ready[b].Wait();
            ReduceTimed(_buckets[b]);
        }
    }

    private void ReduceTimed(GradientBucket bucket)
    {
        long start = Stopwatch.GetTimestamp();
        bucket.Reduce(_world);
        _communicationSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    // Consecutive parameters in buckets of at most _bucketElements gradient elements (a larger parameter alone).
    private List<GradientBucket> Split(IReadOnlyList<Parameter> parameters)
    {
        var buckets = new List<GradientBucket>();
        var current = new List<Parameter>();
        long elements = 0;
        foreach (var parameter in parameters)
        {
            if (current.Count > 0 && elements + parameter.numel() > _bucketElements)
            {
                buckets.Add(new GradientBucket(current));
                current = [];
                elements = 0;
            }
            current.Add(parameter);
            elements += parameter.numel();
        }
        if (current.Count > 0)
            buckets.Add(new GradientBucket(current));
        return buckets;
    }
}
