using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Randomness;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Data;

/// <summary>
/// Reads the audio of a <see cref="BatchPlan"/> and crops each clip to the plan's length, as fairseq's
/// <c>RawAudioDataset.collater</c> does without padding.
/// </summary>
/// <remarks>
/// Each clip is loaded at 16 kHz with <see cref="AudioFile.Load"/>. With normalisation on, the whole clip is
/// normalised to zero mean and unit variance (<see cref="WaveformNormalizer.ZeroMeanUnitVariance"/>) before cropping,
/// as fairseq's <c>normalize=True</c> applies <c>layer_norm</c> to the whole clip in <c>__getitem__</c>. The crop
/// offset is uniform over every position that fits, drawn from a <see cref="SplitMix64"/> stream keyed by
/// (seed, step, entry index), so it does not depend on the thread, the order of loading or the .NET version.
/// <para>
/// With an <see cref="Augmentation"/> recipe, each clip's raw 16 kHz samples are augmented before normalisation and
/// cropping, from a seed keyed by (seed, epoch, entry index): the same entry in the same epoch is augmented the same
/// way whichever batch, step or rank loads it. Babble is drawn from a pool of 16 entries chosen once from the seed (an
/// entry is never mixed with itself). A clip that speed perturbation made shorter than the crop is padded at the end
/// with zeros (silence, and the mean of a normalised clip).
/// </para>
/// </remarks>
public sealed class PretrainingBatchLoader
{
    private const long CropStream = 0x63726F70; // "crop"

    private readonly IReadOnlyList<ManifestEntry> _entries;
    private readonly bool _usesBabble;
    private (int Seed, BabblePool Pool)? _babble;

    /// <summary>Creates a loader for <paramref name="entries"/>.</summary>
    /// <param name="entries">The entries the plans index (the list the <see cref="PretrainingBatcher"/> was given).</param>
    /// <param name="normalize">Whether to normalise each clip to zero mean and unit variance (fairseq <c>normalize</c>; on for the LV-60 "large" models).</param>
    public PretrainingBatchLoader(IReadOnlyList<ManifestEntry> entries, bool normalize = false)
        : this(entries, normalize, AugmentationRecipe.None)
    {
    }

    /// <summary>Creates a loader for <paramref name="entries"/> that augments every clip with <paramref name="augmentation"/>.</summary>
    /// <param name="entries">The entries the plans index (the list the <see cref="PretrainingBatcher"/> was given).</param>
    /// <param name="normalize">Whether to normalise each clip to zero mean and unit variance (after augmenting it).</param>
    /// <param name="augmentation">The effects applied to each clip's raw audio; <see cref="AugmentationRecipe.None"/> for none.</param>
    public PretrainingBatchLoader(IReadOnlyList<ManifestEntry> entries, bool normalize, AugmentationRecipe augmentation)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(augmentation);
        _entries = entries;
        Normalize = normalize;
        Augmentation = augmentation;
        _usesBabble = TrainingAugmentation.UsesBabble(augmentation);
    }

    /// <summary>Whether each clip is normalised to zero mean and unit variance.</summary>
    public bool Normalize { get; }

    /// <summary>The effects applied to each clip before normalisation (<see cref="AugmentationRecipe.None"/>: none).</summary>
    public AugmentationRecipe Augmentation { get; }

    /// <summary>Loads and crops the clips of <paramref name="plan"/> (augmented as in epoch 0).</summary>
    /// <param name="plan">The batch to load.</param>
    /// <param name="seed">The training seed.</param>
    /// <param name="step">The step the batch is for; with <paramref name="seed"/> and the entry index it fixes each crop offset.</param>
    /// <returns>The batch, <c>[plan.Count, plan.CropLength]</c>.</returns>
    /// <exception cref="AudioDecodeException">
    /// A clip cannot be read or decoded, or decodes to fewer samples than the crop length (the file changed since the
    /// manifest was written).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The plan indexes past the entry list.</exception>
    public PretrainingBatch Load(BatchPlan plan, int seed, long step) => Load(plan, seed, step, epoch: 0);

    /// <summary>Loads, augments and crops the clips of <paramref name="plan"/>.</summary>
    /// <param name="plan">The batch to load.</param>
    /// <param name="seed">The training seed.</param>
    /// <param name="step">The step the batch is for; with <paramref name="seed"/> and the entry index it fixes each crop offset.</param>
    /// <param name="epoch">The epoch the batch is in; with <paramref name="seed"/> and the entry index it fixes each clip's augmentation.</param>
    /// <returns>The batch, <c>[plan.Count, plan.CropLength]</c>.</returns>
    /// <exception cref="AudioDecodeException">
    /// A clip cannot be read or decoded, or decodes to fewer samples than the crop length (the file changed since the
    /// manifest was written).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The plan indexes past the entry list.</exception>
    public PretrainingBatch Load(BatchPlan plan, int seed, long step, int epoch)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int length = plan.CropLength;
        var samples = new float[checked(plan.Count * length)];
        var offsets = new int[plan.Count];
        for (int row = 0; row < plan.Count; row++)
        {
            int index = plan.Indices[row];
            if (index >= _entries.Count)
                throw new ArgumentOutOfRangeException(nameof(plan), index, $"The plan names entry {index}, but there are {_entries.Count} entries.");
            var entry = _entries[index];
            float[] clip = AudioFile.Load(entry.Path);
            if (clip.Length < length)
                throw new AudioDecodeException(entry.Path,
                    $"decodes to {clip.Length} samples at 16 kHz, fewer than the crop of {length} (the manifest says {entry.NumSamples}); the file changed since the manifest was written, so rebuild it");
            if (!Augmentation.IsEmpty)
                clip = Augmentation.Apply(clip, TrainingAugmentation.SampleRate, TrainingAugmentation.Seed(seed, epoch, index),
                    _usesBabble ? Babble(seed).For(index) : null);
            int offset = CropOffset(seed, step, index, Math.Max(1, clip.Length - length + 1));
            ReadOnlySpan<float> source = Normalize ? WaveformNormalizer.ZeroMeanUnitVariance(clip) : clip;
            source = source[offset..];
            source[..Math.Min(length, source.Length)].CopyTo(samples.AsSpan(row * length, length)); // zeros after a clip sped up below the crop
            offsets[row] = offset;
        }
        return new PretrainingBatch(samples, length, plan.Indices, offsets);
    }

    // The babble pool of the run with this seed: read once, on first use.
    private BabblePool Babble(int seed)
    {
        if (_babble is { } known && known.Seed == seed)
            return known.Pool;
        var indices = TrainingAugmentation.BabbleIndices(_entries.Count, seed);
        var pool = new BabblePool(indices, indices.Select(i => TrainingAugmentation.BabbleClip(AudioFile.Load(_entries[i].Path))).ToList());
        _babble = (seed, pool);
        return pool;
    }

    /// <summary>The crop offset of entry <paramref name="index"/> at (<paramref name="seed"/>, <paramref name="step"/>): uniform in [0, <paramref name="positions"/>).</summary>
    internal static int CropOffset(int seed, long step, int index, int positions) =>
        positions == 1 ? 0 : SplitMix64.FromKeys(seed, CropStream, step, index).NextInt(positions);
}
