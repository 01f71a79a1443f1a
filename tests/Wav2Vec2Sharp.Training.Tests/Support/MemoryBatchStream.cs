using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>Cycles through fixed batches; an epoch is one pass. Opening at (epoch, position) resumes exactly.</summary>
internal sealed class MemoryBatchStream(IReadOnlyList<AudioBatch> batches, int epoch = 0, int position = 0) : IBatchStream
{
    public int Epoch { get; private set; } = epoch;

    public int Position { get; private set; } = position;

    public int Served { get; private set; }

    public AudioBatch Next()
    {
        if (Position == batches.Count)
        {
            Epoch++;
            Position = 0;
        }
        Served++;
        return batches[Position++];
    }

    public void Skip()
    {
        if (Position == batches.Count)
        {
            Epoch++;
            Position = 0;
        }
        Position++;
    }

    public void Dispose() { }
}

/// <summary>Batches of <see cref="SyntheticSpeech"/> clips.</summary>
internal static class SyntheticBatches
{
    public static AudioBatch Batch(int clips, int samples, int seed)
    {
        var data = new float[clips * samples];
        for (int c = 0; c < clips; c++)
            SyntheticSpeech.Clip(samples, seed * 1000 + c).CopyTo(data, c * samples);
        return new AudioBatch(data, clips, samples);
    }
}
