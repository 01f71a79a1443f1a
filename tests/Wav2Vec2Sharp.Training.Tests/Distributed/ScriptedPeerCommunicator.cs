using Wav2Vec2Sharp.Distributed;

namespace Wav2Vec2Sharp.Tests.Distributed;

/// <summary>
/// Rank 0 of a two-rank world whose other rank is simulated: every fp32 all-reduce adds the next buffer the test
/// scripted for the peer (which must have the same length), and records the call's length.
/// </summary>
internal sealed class ScriptedPeerCommunicator(params float[][] peerBuffers) : ICommunicator
{
    private int _next;

    public List<int> FloatReductionLengths { get; } = [];

    public int Rank => 0;

    public int Size => 2;

    public int LocalRank => 0;

    public void AllReduceSum(Span<float> values)
    {
        FloatReductionLengths.Add(values.Length);
        var peer = peerBuffers[_next++];
        Assert.Equal(peer.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            values[i] += peer[i];
    }

    public void AllReduceSum(Span<double> values) => throw new NotSupportedException();

    public void AllReduceMax(Span<double> values) => throw new NotSupportedException();

    public void Broadcast(Span<byte> buffer, int root = 0) { }

    public byte[][] GatherToRoot(ReadOnlySpan<byte> local) => throw new NotSupportedException();

    public void Barrier() { }

    public void Abort(int exitCode) => throw new InvalidOperationException($"abort {exitCode}");

    public void Dispose() { }
}
