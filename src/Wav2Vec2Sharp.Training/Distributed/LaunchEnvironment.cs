using System.Globalization;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// Recognises how this process was started: by Open MPI's <c>mpirun</c> (<c>OMPI_COMM_WORLD_*</c>), by Slurm's
/// <c>srun --mpi=pmix</c> (<c>PMIX_RANK</c>), or on its own.
/// </summary>
public static class LaunchEnvironment
{
    /// <summary>Whether an MPI launcher started this process.</summary>
    public static bool UnderMpi => Variable("OMPI_COMM_WORLD_SIZE") is not null || Variable("PMIX_RANK") is not null;

    /// <summary>
    /// The job's communicator: MPI's world when an MPI launcher started this process, else the one-process world.
    /// </summary>
    /// <exception cref="Wav2Vec2SharpException">
    /// Slurm started several tasks without an MPI launcher (each would train alone into the same folder), or MPI cannot start.
    /// </exception>
    public static ICommunicator Communicator()
    {
        if (UnderMpi)
            return MpiCommunicator.Initialize();
        if (Integer("SLURM_STEP_NUM_TASKS") is > 1)
            throw new Wav2Vec2SharpException(
                $"srun started {Variable("SLURM_STEP_NUM_TASKS")} tasks without MPI: run them as one job with srun --mpi=pmix (or mpirun).");
        return LocalCommunicator.Instance;
    }

    /// <summary>The rank on this machine that the launcher reports, if it does.</summary>
    public static int? LocalRank() =>
        Integer("OMPI_COMM_WORLD_LOCAL_RANK") ?? Integer("SLURM_LOCALID") ?? Integer("MPI_LOCALRANKID");

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int? Integer(string name) =>
        int.TryParse(Variable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
