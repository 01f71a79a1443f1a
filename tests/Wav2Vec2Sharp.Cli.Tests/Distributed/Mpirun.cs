using System.Diagnostics;

namespace Wav2Vec2Sharp.Tests.Distributed;

/// <summary>Starts <c>w2v</c> (the built executable beside the tests) under Open MPI's <c>mpirun</c>, or on its own.</summary>
internal static class Mpirun
{
    public static string W2v => Path.Combine(AppContext.BaseDirectory, "w2v");

    /// <summary>Starts <c>mpirun -np <paramref name="ranks"/> w2v args</c>; the caller reads or waits for it.</summary>
    public static Process Start(int ranks, params string[] args)
    {
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", ranks.ToString(), W2v, .. args, "--threads", "1"])
            start.ArgumentList.Add(a);
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("mpirun not found: install openmpi-bin (Open MPI 4), as .ci/run does", e);
        }
    }

    /// <summary>Runs the command to its end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static (int Code, string Output, string Error) Run(int ranks, TimeSpan timeout, params string[] args)
    {
        using var process = Start(ranks, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun -np {ranks} w2v {string.Join(' ', args)} did not end within {timeout}: {error.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result); // byte for byte: no rank writes terminal modes (StandardStreams)
    }

    /// <summary>The w2v processes <paramref name="mpirun"/> started, by MPI rank (read from their environment).</summary>
    public static Dictionary<int, int> RankProcesses(Process mpirun)
    {
        var ranks = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                var parent = status.FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
                if (parent != mpirun.Id.ToString())
                    continue;
                var environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                var rank = environment.FirstOrDefault(v => v.StartsWith("OMPI_COMM_WORLD_RANK=", StringComparison.Ordinal));
                if (rank is not null)
                    ranks[int.Parse(rank.Split('=')[1])] = pid;
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return ranks;
    }
}
