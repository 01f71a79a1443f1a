using System.Diagnostics;
using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Tests.Corpus;

/// <summary>Runs standard programs (<c>printf</c>, <c>cat</c>, <c>sleep</c>, <c>sh</c>), present on every Linux machine.</summary>
public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task RunAsync_PassesArgumentsVerbatimAndStandardInput()
    {
        var echo = await ProcessRunner.RunAsync("printf", ["%s|", "it's a \"test\"", "$HOME; rm -rf /"], null, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal((0, "it's a \"test\"|$HOME; rm -rf /|"), (echo.ExitCode, echo.StandardOutput));

        var cat = await ProcessRunner.RunAsync("cat", [], "hello there\n", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("hello there\n", cat.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_CapturesStandardErrorAndTheExitCode()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo oops >&2; exit 3"], null, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal((3, "oops\n"), (result.ExitCode, result.StandardError));
    }

    [Fact]
    public async Task RunAsync_StopsAProgramThatRunsTooLong()
    {
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => ProcessRunner.RunAsync("sleep", ["30"], null, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Contains("sleep did not finish", e.Message);
    }
}
