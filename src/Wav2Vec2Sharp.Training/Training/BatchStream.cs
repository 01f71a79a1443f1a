namespace Wav2Vec2Sharp.Training;

/// <summary>One batch of equal-length clips, row-major <c>[Batch, Length]</c> samples at 16 kHz.</summary>
/// <param name="Samples">Audio, <c>Batch · Length</c> floats.</param>
/// <param name="Batch">Clips.</param>
/// <param name="Length">Samples per clip.</param>
public sealed record AudioBatch(float[] Samples, int Batch, int Length)
{
    /// <summary>Seconds of audio in the batch.</summary>
    public double Seconds => Batch * (double)Length / 16000;
}

/// <summary>An endless, deterministic stream of training batches whose position can be saved and restored.</summary>
public interface IBatchStream : IDisposable
{
    /// <summary>Epoch of the next batch.</summary>
    int Epoch { get; }

    /// <summary>Batches of <see cref="Epoch"/> already returned.</summary>
    int Position { get; }

    /// <summary>The next batch (moving to the next epoch when one ends).</summary>
    AudioBatch Next();

    /// <summary>Moves past the next batch without reading it (another rank of a data-parallel job takes it).</summary>
    void Skip();
}
