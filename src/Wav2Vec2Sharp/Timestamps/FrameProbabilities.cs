using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Timestamps;

/// <summary>Softmax probabilities read from row-major logits <c>[frames, vocab]</c>, one frame's normaliser cached at a time.</summary>
internal sealed class FrameProbabilities(float[] logits, int frames, int vocabSize)
{
    private int _cachedFrame = -1;
    private double _cachedLogSumExp;

    public int Frames => frames;

    /// <summary>log p(<paramref name="id"/> | frame <paramref name="frame"/>).</summary>
    public double LogProbability(int frame, int id)
    {
        if (frame < 0 || frame >= frames)
            throw new ArgumentOutOfRangeException(nameof(frame), $"frame {frame} is outside the {frames} frames of the logits");
        var row = logits.AsSpan(frame * vocabSize, vocabSize);
        if (frame != _cachedFrame)
        {
            _cachedLogSumExp = GreedyCtcDecoder.LogSumExp(row);
            _cachedFrame = frame;
        }
        return row[id] - _cachedLogSumExp;
    }

    /// <summary>Sum over frames <c>[start, end]</c> of p(<paramref name="id"/>).</summary>
    public double SumProbability(int id, int start, int end)
    {
        double sum = 0;
        for (int t = start; t <= end; t++)
            sum += Math.Exp(LogProbability(t, id));
        return sum;
    }
}
