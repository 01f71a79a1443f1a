using System.CommandLine;
using Wav2Vec2Sharp.Cli.Commands;
using Wav2Vec2Sharp.Cli.Console;

namespace Wav2Vec2Sharp.Cli;

/// <summary>The <c>w2v</c> command tree. Each verb is a thin adapter over the library.</summary>
public static class CliApp
{
    /// <summary>Exit code when every input succeeded.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the command failed or some inputs failed.</summary>
    public const int Failure = 1;

    /// <summary>Exit code when Ctrl+C (SIGINT) stopped a training run before its end (128 + 2, as a shell reports an interrupted command); the run's state was saved for <c>--resume</c>.</summary>
    public const int Stopped = 130;

    /// <summary>Parses <paramref name="args"/> and runs the chosen verb, writing to the given streams.</summary>
    /// <remarks>
    /// Under an MPI launcher (<c>mpirun -np N w2v …</c>, <c>srun --mpi=pmix</c>) every rank runs the same command: rank 0
    /// prints and writes the outputs, the others print only their errors. A rank that fails with an error ends the whole
    /// job (<c>MPI_Abort</c>) after naming itself and the error, so no rank waits forever for it; a command that ran to
    /// its end with some inputs failed (transcribe, evaluate) exits with code 1 on rank 0 without aborting.
    /// </remarks>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        Distributed.ICommunicator world;
        try
        {
            world = Distributed.LaunchEnvironment.Communicator();
        }
        catch (Wav2Vec2SharpException e)
        {
            error.WriteLine($"error: {e.Message.TrimEnd('.')}.");
            return Failure;
        }
        return world.Size == 1 && !Distributed.LaunchEnvironment.UnderMpi ? Run(args, output, error, world) : RunRank(args, output, error, world);
    }

    // Set by Guard when a command ends with an error (rather than with some of its inputs failed): under MPI the other
    // ranks may be waiting for this one in a collective call, so the job must be aborted.
    [ThreadStatic]
    private static bool _endedWithError;

    // One rank of a data-parallel job: a failure on any rank takes the job down.
    private static int RunRank(string[] args, TextWriter output, TextWriter error, Distributed.ICommunicator world)
    {
        var rankError = world.Size > 1 ? new RankPrefixedWriter(error, world.Rank, world.Size) : error;
        ProgressBar.Enabled = world.Rank == 0;
        int code;
        _endedWithError = false;
        try
        {
            code = Run(args, world.Rank == 0 ? output : TextWriter.Null, rankError, world);
        }
        catch (Exception e)
        {
            rankError.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            code = Failure;
            _endedWithError = true;
        }
        rankError.Flush();
        output.Flush();
        if (_endedWithError && world.Size > 1)
        {
            rankError.WriteLine($"error: rank {world.Rank} exits with code {code}; ending all {world.Size} ranks.");
            rankError.Flush();
            world.Abort(code);
        }
        world.Dispose();
        return code;
    }

    private static int Run(string[] args, TextWriter output, TextWriter error, Distributed.ICommunicator world)
    {
        var root = new RootCommand("wav2vec 2.0 for .NET: transcribe speech and work with Hugging Face wav2vec2 models.")
        {
            TranscribeCommand.Create(output, error, world: world),
            AlignCommand.Create(output, error),
            InfoCommand.Create(output, error),
            AverageCommand.Create(output, error),
            ExportCommand.Create(output, error),
            ManifestCommand.Create(output, error),
            PretrainCommand.Create(output, error, world),
            FinetuneCommand.Create(output, error, world),
            EvaluateCommand.Create(output, error, world),
            PseudoLabelCommand.Create(output, error),
            CorpusCommand.Create(output, error),
            DemoCommand.Create(output, error),
            LmCommand.Create(output, error),
            TuneLmCommand.Create(output, error),
            Serve.ServeCommand.Create(output, error),
        };
        var result = root.Parse(args);
        return result.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>Runs <paramref name="body"/> with a token that Ctrl+C (SIGINT) cancels (the trainers then stop after the
    /// current update and write a checkpoint) instead of killing the process. The signal is taken without
    /// <see cref="System.Console.CancelKeyPress"/>, which would set up the console (see <see cref="StandardStreams"/>).</summary>
    internal static T WithCtrlC<T>(Func<CancellationToken, T> body)
    {
        using var cancel = new CancellationTokenSource();
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        return body(cancel.Token);
    }

    /// <summary>Runs <paramref name="body"/>, turning the library's user-facing errors into one line on stderr and exit code 1.</summary>
    internal static int Guard(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is Wav2Vec2SharpException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            _endedWithError = true;
            error.WriteLine($"error: {UserMessage(e).TrimEnd('.')}.");
            return Failure;
        }
    }

    // The sentence meant for the user: .NET appends " (Parameter 'name')" and, for out-of-range values, a second line
    // "Actual value was …" to an ArgumentException's message; both are for developers.
    private static string UserMessage(Exception e)
    {
        if (e is not ArgumentException { ParamName: { } name } argument)
            return e.Message;
        var firstLine = argument.Message.Split('\n')[0].TrimEnd('\r');
        var suffix = $" (Parameter '{name}')";
        return firstLine.EndsWith(suffix, StringComparison.Ordinal) ? firstLine[..^suffix.Length] : firstLine;
    }
}
