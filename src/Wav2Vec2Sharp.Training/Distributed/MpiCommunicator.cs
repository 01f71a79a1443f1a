using System.Runtime.InteropServices;
using static Wav2Vec2Sharp.Distributed.MpiNative;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// <c>MPI_COMM_WORLD</c> of a job started by <c>mpirun</c> or <c>srun --mpi=pmix</c>, through Open MPI. Buffers are
/// reduced in place in host memory; one communicator per process, used from one thread at a time
/// (<c>MPI_THREAD_SERIALIZED</c>).
/// </summary>
public sealed class MpiCommunicator : ICommunicator
{
    private bool _disposed;

    private MpiCommunicator(int rank, int size, int localRank)
    {
        Rank = rank;
        Size = size;
        LocalRank = localRank;
    }

    /// <summary>Initialises MPI (once per process) and returns the world communicator.</summary>
    /// <exception cref="Wav2Vec2SharpException">libmpi cannot be loaded or MPI fails to start.</exception>
    public static MpiCommunicator Initialize()
    {
        EnsureLoaded();
        // Open MPI catches SIGSEGV/SIGBUS/SIGFPE/SIGILL to print a backtrace, but .NET turns SIGSEGV into
        // NullReferenceException: leave the signals to the runtime unless the user chose otherwise.
        SetEnv("OMPI_MCA_opal_signal", "", overwrite: 0);
        SetEnv("UCX_ERROR_SIGNALS", "", overwrite: 0); // the same for UCX, where Open MPI runs over it
        Check(MPI_Initialized(out int initialized), "MPI_Initialized");
        if (initialized == 0)
            Check(MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, ThreadSerialized, out _), "MPI_Init_thread");
        Check(MPI_Comm_rank(CommWorld, out int rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(CommWorld, out int size), "MPI_Comm_size");
        return new MpiCommunicator(rank, size, LaunchEnvironment.LocalRank() ?? rank);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public int LocalRank { get; }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) => AllReduce(MemoryMarshal.AsBytes(values), values.Length, MpiNative.Float, Sum);

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) => AllReduce(MemoryMarshal.AsBytes(values), values.Length, MpiNative.Double, Sum);

    /// <inheritdoc/>
    public void AllReduceMax(Span<double> values) => AllReduce(MemoryMarshal.AsBytes(values), values.Length, MpiNative.Double, Max);

    /// <inheritdoc/>
    public void Broadcast(Span<byte> buffer, int root = 0)
    {
        if (buffer.IsEmpty)
            return;
        Check(MPI_Bcast(ref MemoryMarshal.GetReference(buffer), buffer.Length, MpiNative.Byte, root, CommWorld), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public byte[][] GatherToRoot(ReadOnlySpan<byte> local)
    {
        var counts = new int[Size];
        int length = local.Length;
        Check(MPI_Gather(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(new Span<int>(ref length))), 1, Int,
            ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(counts.AsSpan())), 1, Int, 0, CommWorld), "MPI_Gather");
        var displacements = new int[Size];
        for (int r = 1; r < Size; r++)
            displacements[r] = checked(displacements[r - 1] + counts[r - 1]);
        var all = new byte[Rank == 0 ? displacements[^1] + counts[^1] + 1 : 1]; // never empty, so the reference is valid
        var send = local.IsEmpty ? [0] : local.ToArray();
        Check(MPI_Gatherv(ref send[0], local.Length, MpiNative.Byte, ref all[0], ref counts[0], ref displacements[0], MpiNative.Byte, 0, CommWorld), "MPI_Gatherv");
        if (Rank != 0)
            return [];
        return Enumerable.Range(0, Size).Select(r => all.AsSpan(displacements[r], counts[r]).ToArray()).ToArray();
    }

    /// <inheritdoc/>
    public void Barrier() => Check(MPI_Barrier(CommWorld), "MPI_Barrier");

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        MPI_Abort(CommWorld, exitCode);
        Environment.Exit(exitCode); // MPI_Abort does not return; this is only reached if it failed
    }

    /// <summary>Finalises MPI after the last collective call.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (MPI_Finalized(out int finalized) == 0 && finalized == 0)
            MPI_Finalize();
    }

    private void AllReduce(Span<byte> bytes, int count, IntPtr type, IntPtr op)
    {
        if (count == 0)
            return;
        Check(MPI_Allreduce(InPlace, ref MemoryMarshal.GetReference(bytes), count, type, op, CommWorld), "MPI_Allreduce");
    }

    private static void Check(int code, string call)
    {
        if (code != 0)
            throw new Wav2Vec2SharpException($"{call} failed with MPI error code {code}.");
    }
}
