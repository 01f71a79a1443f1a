using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Distributed;
using Wav2Vec2Sharp.Randomness;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Training;

/// <summary>The collective steps both trainers share: summing step statistics, reducing gradients, rank 0's decisions, replica checks.</summary>
internal sealed class DataParallel(DataParallelOptions options, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
{
    private const long BatchStream = 0x6261746368; // "batch"

    private GradientAllReducer? _gradients;

    public ICommunicator World => options.World;

    public bool IsRoot => options.IsRoot;

    public int Size => options.World.Size;

    /// <summary>Whether batch <paramref name="index"/> of an update (0 to size × update frequency − 1) is this rank's.</summary>
    public bool Owns(int index) => index % Size == World.Rank;

    /// <summary>
    /// Sets up the gradient reduction for a run, until disposed: with <see cref="DataParallelOptions.OverlapGradientReduction"/>
    /// (by default on a GPU), each Transformer layer's gradients are reduced while the backward pass goes on below it.
    /// </summary>
    public IDisposable StartGradientReduction()
    {
        _gradients?.Dispose();
        _gradients = new GradientAllReducer(model.parameters(), options.World, options.GradientBucketBytes);
        bool onGpu = model.parameters().Any(p => p.device.type == TorchSharp.DeviceType.CUDA);
        bool overlap = options.OverlapGradientReduction ?? onGpu;
        if (Size > 1) // rank 0's choice: the buckets' layout depends on it, and every rank must reduce the same buckets
            overlap = FromRoot([overlap ? 1 : 0])[0] > 0;
        if (overlap)
            _gradients.OverlapWithBackward(model.modules().OfType<Wav2Vec2Sharp.Modules.EncoderLayer>());
        return _gradients;
    }

    /// <summary>Call before the backward pass that completes this update's gradients on this rank (its last micro-batch).</summary>
    public void BeforeLastBackward() => Gradients.ArmForNextBackward();

    /// <summary>
    /// Seeds torch's generator for the batch at (<paramref name="epoch"/>, <paramref name="position"/>) of the global
    /// stream: its masks, distractors, Gumbel noise and dropout then depend on the batch alone, not on which rank or how
    /// many ranks compute it, and a resumed run replays them exactly.
    /// </summary>
    public static void SeedBatch(int seed, int epoch, int position) =>
        manual_seed((long)(SplitMix64.FromKeys(seed, BatchStream, epoch, position).NextUInt64() >> 1));

    /// <summary>Sums <paramref name="values"/> over all ranks, in place, and returns them.</summary>
    public double[] Sum(params double[] values)
    {
        World.AllReduceSum(values);
        return values;
    }

    /// <summary>Sums the gradients over all ranks.</summary>
    public void ReduceGradients() => Gradients.Reduce();

    private GradientAllReducer Gradients =>
        _gradients ?? throw new InvalidOperationException("StartGradientReduction has not been called.");

    /// <summary>Rank 0's <paramref name="values"/> on every rank.</summary>
    public double[] FromRoot(double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        World.Broadcast(bytes);
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>Runs <paramref name="write"/> on rank 0 while the other ranks wait.</summary>
    public void OnRoot(Action write)
    {
        if (IsRoot)
            write();
        World.Barrier();
    }

    /// <summary>
    /// Stops the run on every rank unless all ranks start from rank 0's place: the same update, epoch and batch position,
    /// the same amounts of data (<paramref name="counts"/>), and the same weights and optimizer state. Ranks that read
    /// different checkpoints or data (an output folder not shared between machines) would otherwise train different models
    /// or wait for each other forever.
    /// </summary>
    public void EnsureSameStart(TrainerState state, params int[] counts)
    {
        if (Size == 1)
            return;
        double[] local = [state.Updates, state.Epoch, state.EpochPosition, .. counts.Select(c => (double)c)];
        var root = FromRoot((double[])local.Clone());
        var differs = new double[Size];
        differs[World.Rank] = local.SequenceEqual(root) ? 0 : 1;
        World.AllReduceSum(differs);
        var ranks = Enumerable.Range(0, Size).Where(r => differs[r] > 0).ToList();
        if (ranks.Count > 0)
            throw new Wav2Vec2SharpException(
                $"rank {string.Join(", ", ranks)} starts from another update, data position or amount of data than rank 0 " +
                $"(here: update {state.Updates}, epoch {state.Epoch}, batch {state.EpochPosition}, data {string.Join("/", counts)}); " +
                "all ranks must see the same output folder and data.");
        var differing = ReplicaCheck.DifferingRanks(World, model, optimizer);
        if (differing.Count > 0)
            throw new Wav2Vec2SharpException($"rank {string.Join(", ", differing)} starts from other weights or optimizer state than rank 0.");
    }

    /// <summary>
    /// What every step ends with: the world size in its metrics (in a job of several ranks also the seconds of the last
    /// gradient reduction and the seconds the step waited for it) and, after an applied update, the replica check.
    /// </summary>
    public void AfterStep(Dictionary<string, double> metrics, bool applied, long updates)
    {
        metrics["world_size"] = Size;
        if (Size > 1)
        {
            metrics["allreduce_seconds"] = Gradients.LastCommunicationSeconds; // hidden behind the backward pass or not
            metrics["allreduce_wait_seconds"] = Gradients.LastSeconds;
        }
        if (applied)
            CheckReplicas(updates);
    }

    /// <summary>With <see cref="DataParallelOptions.CheckReplicas"/>, stops the run when a rank's weights or optimizer state differ from rank 0's.</summary>
    public void CheckReplicas(long updates)
    {
        if (!options.CheckReplicas || Size == 1)
            return;
        var differing = ReplicaCheck.DifferingRanks(World, model, optimizer);
        if (differing.Count > 0)
            throw new Wav2Vec2SharpException(
                $"replicas differ after update {updates}: rank {string.Join(", ", differing)} holds other weights or optimizer state than rank 0.");
    }

    /// <summary>Whether this rank's loss is to be made NaN in the step that makes update <paramref name="updates"/> + 1.</summary>
    public bool InjectsNonFiniteLoss(long updates)
    {
        if (_injected || options.NonFiniteLossAtUpdate != updates)
            return false;
        _injected = true; // once: the skipped step leaves the update count where it was
        return true;
    }

    private bool _injected;
}
