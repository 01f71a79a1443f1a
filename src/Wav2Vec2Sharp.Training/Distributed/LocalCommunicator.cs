namespace Wav2Vec2Sharp.Distributed;

/// <summary>A job of one process: every collective operation is the identity, so single-process training is unchanged.</summary>
public sealed class LocalCommunicator : ICommunicator
{
    /// <summary>The one-process world.</summary>
    public static LocalCommunicator Instance { get; } = new();

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public int LocalRank => 0;

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) { }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) { }

    /// <inheritdoc/>
    public void AllReduceMax(Span<double> values) { }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> buffer, int root = 0) { }

    /// <inheritdoc/>
    public byte[][] GatherToRoot(ReadOnlySpan<byte> local) => [local.ToArray()];

    /// <inheritdoc/>
    public void Barrier() { }

    /// <inheritdoc/>
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc/>
    public void Dispose() { }
}
