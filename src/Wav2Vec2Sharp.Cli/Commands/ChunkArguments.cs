using System.CommandLine;
using Wav2Vec2Sharp.Inference;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>The <c>--chunk-seconds</c> and <c>--stride-seconds</c> options shared by the verbs that run a CTC model.</summary>
internal sealed class ChunkArguments
{
    public Option<double> ChunkSeconds { get; } = new("--chunk-seconds")
    {
        Description = "Cut clips longer than this into windows of this many seconds, context included (0 = never)",
        DefaultValueFactory = _ => ChunkingOptions.Default.ChunkSeconds,
    };

    public Option<double?> StrideSeconds { get; } = new("--stride-seconds")
    {
        Description = "Context on each side of a window in seconds, whose frames are dropped (default: chunk / 6)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(ChunkSeconds);
        command.Options.Add(StrideSeconds);
    }

    /// <exception cref="ArgumentException">A negative or non-finite length.</exception>
    public ChunkingOptions Read(ParseResult parse)
    {
        double chunk = parse.GetValue(ChunkSeconds);
        double? stride = parse.GetValue(StrideSeconds);
        if (!double.IsFinite(chunk) || chunk < 0)
            throw new ArgumentException($"--chunk-seconds must be 0 (never cut) or a positive number of seconds, not {parse.GetValue(ChunkSeconds)}.");
        if (stride is { } s && (!double.IsFinite(s) || s < 0))
            throw new ArgumentException($"--stride-seconds must be 0 or a positive number of seconds, not {s}.");
        return new() { ChunkSeconds = chunk, StrideSeconds = stride };
    }
}
