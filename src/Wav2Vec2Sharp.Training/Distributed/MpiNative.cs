using System.Runtime.InteropServices;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// The MPI calls data-parallel training needs, bound to Open MPI's <c>libmpi.so.40</c> (Debian's <c>libopenmpi3</c>,
/// Open MPI 4.x). Open MPI's predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are the
/// addresses of exported data symbols (<c>ompi_mpi_comm_world</c>, …), resolved once.
/// </summary>
internal static class MpiNative
{
    public const string Library = "libmpi.so.40";
    public const int ThreadSerialized = 2; // Open MPI's MPI_THREAD_SERIALIZED
    public static readonly IntPtr InPlace = 1; // Open MPI's MPI_IN_PLACE is (void *) 1

    private static readonly Lazy<IntPtr> Handle = new(() => NativeLibrary.Load(Library));

    public static IntPtr CommWorld => Symbol("ompi_mpi_comm_world");
    public static IntPtr Float => Symbol("ompi_mpi_float");
    public static IntPtr Double => Symbol("ompi_mpi_double");
    public static IntPtr Byte => Symbol("ompi_mpi_byte");
    public static IntPtr Int => Symbol("ompi_mpi_int");
    public static IntPtr Sum => Symbol("ompi_mpi_op_sum");
    public static IntPtr Max => Symbol("ompi_mpi_op_max");

    /// <summary>Loads libmpi, or explains why it cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        try
        {
            _ = Handle.Value;
        }
        catch (DllNotFoundException e)
        {
            throw new Wav2Vec2SharpException(
                $"this process was started by an MPI launcher but {Library} (Open MPI 4) cannot be loaded: install openmpi-bin and libopenmpi-dev ({e.Message.Split(':')[0]}).", e);
        }
    }

    private static IntPtr Symbol(string name) => NativeLibrary.GetExport(Handle.Value, name);

    [DllImport(Library)] public static extern int MPI_Initialized(out int flag);
    [DllImport(Library)] public static extern int MPI_Finalized(out int flag);
    [DllImport(Library)] public static extern int MPI_Init_thread(IntPtr argc, IntPtr argv, int required, out int provided);
    [DllImport(Library)] public static extern int MPI_Finalize();
    [DllImport(Library)] public static extern int MPI_Comm_rank(IntPtr comm, out int rank);
    [DllImport(Library)] public static extern int MPI_Comm_size(IntPtr comm, out int size);
    [DllImport(Library)] public static extern int MPI_Allreduce(IntPtr sendBuffer, ref byte receiveBuffer, int count, IntPtr type, IntPtr op, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Bcast(ref byte buffer, int count, IntPtr type, int root, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Gather(ref byte sendBuffer, int sendCount, IntPtr sendType, ref byte receiveBuffer, int receiveCount, IntPtr receiveType, int root, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Gatherv(ref byte sendBuffer, int sendCount, IntPtr sendType, ref byte receiveBuffer, ref int receiveCounts, ref int displacements, IntPtr receiveType, int root, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Barrier(IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Abort(IntPtr comm, int errorCode);

    [DllImport("libc", EntryPoint = "setenv")] public static extern int SetEnv(string name, string value, int overwrite);
}
