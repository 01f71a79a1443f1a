namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// The processes of a data-parallel job and the few collective operations training needs. Every rank must call a
/// collective operation in the same order with buffers of the same length, or the job hangs; the trainers do.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> − 1. Rank 0 writes checkpoints, metrics and reports.</summary>
    int Rank { get; }

    /// <summary>The number of processes (the world size).</summary>
    int Size { get; }

    /// <summary>This process's rank among the processes on its machine (it picks the GPU: <c>cuda:LocalRank</c>).</summary>
    int LocalRank { get; }

    /// <summary>Replaces every element of <paramref name="values"/> with its sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces every element of <paramref name="values"/> with its sum over all ranks.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Replaces every element of <paramref name="values"/> with its maximum over all ranks.</summary>
    void AllReduceMax(Span<double> values);

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="buffer"/> into every other rank's.</summary>
    void Broadcast(Span<byte> buffer, int root = 0);

    /// <summary>Gathers every rank's bytes on rank 0: there, the result holds one array per rank in rank order; elsewhere it is empty.</summary>
    byte[][] GatherToRoot(ReadOnlySpan<byte> local);

    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every process of the job with <paramref name="exitCode"/> (MPI_Abort); does not return.</summary>
    void Abort(int exitCode);
}
