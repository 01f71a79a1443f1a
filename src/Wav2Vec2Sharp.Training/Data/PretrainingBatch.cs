namespace Wav2Vec2Sharp.Data;

/// <summary>A loaded pre-training batch: <see cref="BatchSize"/> clips of <see cref="Length"/> samples each, at 16 kHz.</summary>
public sealed class PretrainingBatch
{
    private readonly int[] _indices;
    private readonly int[] _offsets;

    /// <summary>Creates a batch.</summary>
    /// <param name="samples">The clips, row-major: row <c>r</c> is <c>samples[r * length .. (r + 1) * length]</c>.</param>
    /// <param name="length">The samples per clip.</param>
    /// <param name="indices">The entry index of each row.</param>
    /// <param name="offsets">Where each row's crop starts in its clip, in samples at 16 kHz.</param>
    /// <exception cref="ArgumentException">The sizes do not agree.</exception>
    public PretrainingBatch(float[] samples, int length, IReadOnlyList<int> indices, IReadOnlyList<int> offsets)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (indices.Count == 0 || offsets.Count != indices.Count || samples.Length != (long)indices.Count * length)
            throw new ArgumentException($"A batch of {indices.Count} rows ({offsets.Count} offsets) of {length} samples needs {(long)indices.Count * length} samples, not {samples.Length}.");
        Samples = samples;
        Length = length;
        _indices = indices.ToArray();
        _offsets = offsets.ToArray();
    }

    /// <summary>The clips as one row-major <c>[BatchSize, Length]</c> array, ready to become a tensor.</summary>
    public float[] Samples { get; }

    /// <summary>The number of clips (rows).</summary>
    public int BatchSize => _indices.Length;

    /// <summary>The samples per clip (the plan's crop length).</summary>
    public int Length { get; }

    /// <summary>The tensor shape, <c>[BatchSize, Length]</c>.</summary>
    public long[] Shape => [BatchSize, Length];

    /// <summary>The entry index of each row.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Where each row's crop starts in its clip (after resampling to 16 kHz).</summary>
    public IReadOnlyList<int> Offsets => _offsets;

    /// <summary>The samples of row <paramref name="row"/>.</summary>
    /// <param name="row">The row, 0 to <see cref="BatchSize"/> − 1.</param>
    /// <returns>A view into <see cref="Samples"/>.</returns>
    public ReadOnlySpan<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        return Samples.AsSpan(row * Length, Length);
    }
}
