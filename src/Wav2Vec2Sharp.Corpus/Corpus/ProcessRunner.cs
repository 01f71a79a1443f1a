using System.ComponentModel;
using System.Diagnostics;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>The exit code and captured output of a finished program.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a program with an argument list (no shell), optional standard input, captured standard output and error, and a
/// time limit after which the program and its children are killed.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="executable"/> to completion.</summary>
    /// <exception cref="TimeoutException">The program ran longer than <paramref name="timeout"/>; it has been killed.</exception>
    /// <exception cref="Win32Exception">The program could not be started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the program has been killed.</exception>
    public static async Task<ProcessResult> RunAsync(string executable, IReadOnlyList<string> arguments, string? standardInput,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = info };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            try
            {
                if (standardInput is not null)
                    await process.StandardInput.WriteAsync(standardInput.AsMemory(), limit.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited without reading its input; its exit code tells what happened.
            }
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {timeout.TotalSeconds:0.#} s and was stopped.");
        }
        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>
    /// Runs <paramref name="executable"/> and returns its standard output and error together, whatever its exit code
    /// (<c>flite --version</c> exits with 1), or <see langword="null"/> when it cannot be started or does not finish.
    /// </summary>
    public static string? TryReadOutput(string executable, params string[] arguments)
    {
        try
        {
            var result = RunAsync(executable, arguments, null, TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult();
            return result.StandardOutput + result.StandardError;
        }
        catch (Exception e) when (e is Win32Exception or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
