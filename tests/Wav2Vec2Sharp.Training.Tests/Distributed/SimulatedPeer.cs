using Wav2Vec2Sharp.Distributed;

namespace Wav2Vec2Sharp.Tests.Distributed;

/// <summary>
/// Rank 0 of a two-rank world whose other rank is simulated by the fp32 all-reduce alone; the gradient reducers' tests
/// need no other collective, so the others are refused (or do nothing, where they only synchronise).
/// </summary>
internal abstract class SimulatedPeer : ICommunicator
{
    public int Rank => 0;

    public int Size => 2;

    public int LocalRank => 0;

    public abstract void AllReduceSum(Span<float> values);

    public void AllReduceSum(Span<double> values) => throw new NotSupportedException();

    public void AllReduceMax(Span<double> values) => throw new NotSupportedException();

    public void Broadcast(Span<byte> buffer, int root = 0) { }

    public byte[][] GatherToRoot(ReadOnlySpan<byte> local) => throw new NotSupportedException();

    public void Barrier() { }

    public void Abort(int exitCode) => throw new InvalidOperationException($"abort {exitCode}");

    public virtual void Dispose() { }
}
