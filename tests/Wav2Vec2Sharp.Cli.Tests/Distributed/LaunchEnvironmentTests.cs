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
    public void W2v_refuses_several_Slurm_tasks_without_PMIx()
    {
        // in a child process: the variable would make every CliApp.Run of the tests running beside this one refuse too
        var start = new System.Diagnostics.ProcessStartInfo(Mpirun.W2v, ["info", "--model", "nowhere"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["SLURM_STEP_NUM_TASKS"] = "4";
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));

        Assert.Equal(1, process.ExitCode);
        Assert.Equal("error: srun started 4 tasks without MPI: run them as one job with srun --mpi=pmix (or mpirun)." + Environment.NewLine, error);
    }
}
