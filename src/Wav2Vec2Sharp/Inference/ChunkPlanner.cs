using Wav2Vec2Sharp.Configuration;

namespace Wav2Vec2Sharp.Inference;

/// <summary>Cuts a clip into overlapping inference windows whose kept frames tile the clip's output frames exactly.</summary>
/// <remarks>
/// Frame <c>t</c> of the whole clip reads samples <c>[t · hop, t · hop + receptive field)</c> (hop 320, receptive field
/// 400). A window starting at sample <c>j · hop</c> therefore computes frames <c>j, j + 1, …</c> of the whole clip.
/// Each window reads <c>receptive field − hop</c> (80) samples past its nominal end, so that it yields exactly
/// <c>chunk / hop</c> frames and the frame straddling its end is complete even with no right context. Windows advance
/// by <c>chunk − 2 · stride</c> frames; window <c>i</c> keeps frames <c>[stride, chunk − stride)</c>, the first window
/// keeps from 0 and the last keeps through the clip's final frame, so the stitched logits have exactly
/// <see cref="Wav2Vec2Config.OutputLength"/> frames (HF's pipeline rescales strides with <c>round(n / 320)</c> and can
/// keep one frame more or less at a seam).
/// </remarks>
public static class ChunkPlanner
{
    /// <summary>The windows for a clip of <paramref name="samples"/> samples.</summary>
    /// <param name="samples">Length of the clip in samples.</param>
    /// <param name="config">The model (hop, receptive field, output length).</param>
    /// <param name="options">Window and context lengths.</param>
    /// <param name="samplingRate">Samples per second.</param>
    /// <returns>One window for a clip no longer than the chunk (or with chunking off), otherwise several.</returns>
    /// <exception cref="ArgumentException">The window is not longer than twice the context (an options error).</exception>
    /// <exception cref="UntranscribableAudioException">Chunking is off and the clip exceeds 2^31 samples.</exception>
    public static IReadOnlyList<AudioChunk> Plan(long samples, Wav2Vec2Config config, ChunkingOptions options, int samplingRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        options.Validate();
        int hop = config.InputsToLogitsRatio;
        long totalFrames = config.OutputLength(samples);
        long chunkFrames = options.Enabled ? (long)Math.Round(options.ChunkSeconds * samplingRate / hop) : 0;
        long strideFrames = (long)Math.Round(options.EffectiveStrideSeconds * samplingRate / hop);
        if (!options.Enabled || samples <= chunkFrames * hop || totalFrames <= chunkFrames)
        {
            if (samples > int.MaxValue)
                throw new UntranscribableAudioException($"a clip of {samples} samples is too long to run in one piece; enable chunking");
            return [new AudioChunk(0, (int)samples, 0, 0, (int)totalFrames)];
        }
        if (strideFrames < 0 || chunkFrames <= 2 * strideFrames)
            throw new ArgumentException($"the chunk ({options.ChunkSeconds} s = {chunkFrames} frames) must be longer than twice the stride ({options.EffectiveStrideSeconds} s = {strideFrames} frames)");

        int overhang = Math.Max(0, config.ReceptiveField - hop);
        long step = chunkFrames - 2 * strideFrames;
        var chunks = new List<AudioChunk>();
        for (long first = 0; ; first += step)
        {
            bool last = first + chunkFrames >= totalFrames;
            long start = first * hop;
            long end = Math.Min(samples, (first + chunkFrames) * hop + overhang);
            int keepFrom = first == 0 ? 0 : (int)strideFrames;
            int keepTo = (int)(last ? totalFrames - first : chunkFrames - strideFrames);
            chunks.Add(new AudioChunk(start, (int)(end - start), first, keepFrom, keepTo));
            if (last)
                return chunks;
        }
    }
}
