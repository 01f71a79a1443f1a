using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Distributed;

/// <summary>
/// A debug check that the ranks of a data-parallel job still hold the same model: a hash (the first 64 bits of SHA-256) of every parameter's
/// bytes and of the optimizer's state is compared with rank 0's. Data parallelism keeps replicas bitwise identical
/// (every rank applies the same reduced gradient); a difference means a rank drifted and the run is wrong.
/// </summary>
public static class ReplicaCheck
{
    /// <summary>A hash of the parameters' bytes (in order) and of the optimizer state.</summary>
    public static ulong Hash(nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var scope = NewDisposeScope())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
                hash.AppendData(parameter.detach().to(CPU).contiguous().bytes);
            }
        }
        using (var writer = new BinaryWriter(new HashingStream(hash), System.Text.Encoding.UTF8))
            optimizer.save_state_dict(writer);
        return BitConverter.ToUInt64(hash.GetHashAndReset(), 0);
    }

    // A write-only stream that feeds the hash, so that the optimizer state (twice the weights) is never held in memory.
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>
    /// Compares this rank's <paramref name="model"/> and <paramref name="optimizer"/> with rank 0's (a collective call).
    /// </summary>
    /// <returns>The ranks whose hash differs from rank 0's, in order; empty when all agree. Every rank gets the same list.</returns>
    public static IReadOnlyList<int> DifferingRanks(ICommunicator world, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        ulong local = Hash(model, optimizer);
        var root = BitConverter.GetBytes(local);
        world.Broadcast(root);
        var differs = new double[world.Size];
        differs[world.Rank] = BitConverter.ToUInt64(root) == local ? 0 : 1;
        world.AllReduceSum(differs);
        return Enumerable.Range(0, world.Size).Where(r => differs[r] > 0).ToList();
    }
}
