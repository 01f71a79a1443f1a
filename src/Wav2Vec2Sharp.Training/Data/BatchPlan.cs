using System.Text;

namespace Wav2Vec2Sharp.Data;

/// <summary>One pre-training batch before any audio is read: which manifest entries, cropped to how many samples.</summary>
/// <remarks>Two plans are equal when they list the same indices in the same order with the same crop length.</remarks>
public sealed record BatchPlan
{
    private readonly int[] _indices;

    /// <summary>Creates a plan.</summary>
    /// <param name="indices">Indices into the entry list the batcher was given, one per row of the batch.</param>
    /// <param name="cropLength">The number of samples every clip is cropped to.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty or holds a negative index.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cropLength"/> is not positive.</exception>
    public BatchPlan(IEnumerable<int> indices, int cropLength)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropLength);
        _indices = indices.ToArray();
        if (_indices.Length == 0)
            throw new ArgumentException("A batch plan needs at least one entry.", nameof(indices));
        if (_indices.Any(i => i < 0))
            throw new ArgumentException("Entry indices cannot be negative.", nameof(indices));
        CropLength = cropLength;
    }

    /// <summary>Indices into the entry list the batcher was given, one per row of the batch.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>The number of samples every clip is cropped to: the shortest clip of the batch, capped at the maximum sample size.</summary>
    public int CropLength { get; }

    /// <summary>The number of clips (rows) in the batch.</summary>
    public int Count => _indices.Length;

    /// <summary>The number of samples in the batch after cropping: <see cref="Count"/> × <see cref="CropLength"/>.</summary>
    public long TotalSamples => (long)_indices.Length * CropLength;

    /// <inheritdoc/>
    public bool Equals(BatchPlan? other) =>
        other is not null && CropLength == other.CropLength && _indices.AsSpan().SequenceEqual(other._indices);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(CropLength);
        foreach (int i in _indices)
            hash.Add(i);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Indices = [").AppendJoin(", ", _indices).Append("], CropLength = ").Append(CropLength);
        return true;
    }
}
