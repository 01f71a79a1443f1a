namespace Wav2Vec2Sharp.Tests.Distributed;

/// <summary>
/// Rank 0 of a two-rank world whose other rank is simulated: every fp32 all-reduce adds the next buffer the test
/// scripted for the peer (which must have the same length), and records the call's length.
/// </summary>
internal sealed class ScriptedPeerCommunicator(params float[][] peerBuffers) : SimulatedPeer
{
    private int _next;

    public List<int> FloatReductionLengths { get; } = [];

    public override void AllReduceSum(Span<float> values)
    {
        FloatReductionLengths.Add(values.Length);
        var peer = peerBuffers[_next++];
        Assert.Equal(peer.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            values[i] += peer[i];
    }
}
