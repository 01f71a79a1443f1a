using Wav2Vec2Sharp.Distributed;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// How a trainer takes part in a data-parallel job (fairseq's semantics): every update consumes
/// <c>world size × update frequency</c> batches of the one global batch stream, each rank computing its share; the
/// losses' normaliser (masked frames, utterances) and the gradients are summed over all ranks before the update, so N
/// ranks make the update that one process with an update frequency N times larger makes.
/// </summary>
public sealed record DataParallelOptions
{
    /// <summary>The job; the one-process world by default.</summary>
    public ICommunicator World { get; init; } = LocalCommunicator.Instance;

    /// <summary>Compare a hash of the weights and optimizer state with rank 0's after every update (a debug check; stops the run on a difference).</summary>
    public bool CheckReplicas { get; init; }

    /// <summary>The most bytes one gradient all-reduce carries.</summary>
    public long GradientBucketBytes { get; init; } = GradientAllReducer.DefaultBucketBytes;

    /// <summary>
    /// Whether each Transformer layer's gradients are reduced while the backward pass goes on through the layers below it;
    /// otherwise every gradient is reduced after the pass. The update is the same either way. <c>null</c> (the default)
    /// overlaps when the model trains on a GPU, whose backward pass leaves the CPU free to drive the communication. On CPU
    /// ranks the reduction is CPU work that competes with the pass for the same cores (2 ranks on 2 cores: no gain measured).
    /// </summary>
    public bool? OverlapGradientReduction { get; init; }

    /// <summary>A fault injection for tests: this rank's loss becomes NaN in the step that would make this update (0-based).</summary>
    public long? NonFiniteLossAtUpdate { get; init; }

    /// <summary>Whether this process writes the run's files (rank 0).</summary>
    public bool IsRoot => World.Rank == 0;
}
