using Wav2Vec2Sharp.Distributed;

namespace Wav2Vec2Sharp.Tests.Distributed;

public sealed class LaunchEnvironmentTests
{
    [Fact]
    public void Outside_a_launcher_the_world_is_one_process()
    {
        using var world = LaunchEnvironment.Communicator();

        Assert.False(LaunchEnvironment.UnderMpi);
        Assert.Same(LocalCommunicator.Instance, world);
        Assert.Equal((0, 1), (world.Rank, world.Size));
    }

    [Fact]
    public void Several_Slurm_tasks_without_PMIx_are_refused()
    {
        Environment.SetEnvironmentVariable("SLURM_STEP_NUM_TASKS", "4");
        try
        {
            var error = Assert.Throws<Wav2Vec2SharpException>(() => LaunchEnvironment.Communicator());
            Assert.Equal("srun started 4 tasks without MPI: run them as one job with srun --mpi=pmix (or mpirun).", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURM_STEP_NUM_TASKS", null);
        }
    }
}
