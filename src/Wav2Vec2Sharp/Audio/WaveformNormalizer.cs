namespace Wav2Vec2Sharp.Audio;

/// <summary>Normalisation of raw waveforms before they enter a wav2vec 2.0 model.</summary>
public static class WaveformNormalizer
{
    /// <summary>The variance floor added before the square root, as in Hugging Face's <c>Wav2Vec2FeatureExtractor</c>.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>
    /// Returns <c>(x - mean) / sqrt(var + 1e-7)</c>, with the mean and the population variance (divided by n)
    /// computed in double precision: the <c>do_normalize=True</c> step of Hugging Face's <c>Wav2Vec2FeatureExtractor</c>.
    /// </summary>
    /// <param name="samples">The waveform.</param>
    /// <returns>A new array of the same length; empty for an empty input.</returns>
    public static float[] ZeroMeanUnitVariance(ReadOnlySpan<float> samples)
    {
        var result = new float[samples.Length];
        if (samples.Length == 0)
            return result;
        double sum = 0;
        foreach (float x in samples)
            sum += x;
        double mean = sum / samples.Length;
        double squares = 0;
        foreach (float x in samples)
        {
            double d = x - mean;
            squares += d * d;
        }
        double std = Math.Sqrt(squares / samples.Length + Epsilon);
        for (int i = 0; i < samples.Length; i++)
            result[i] = (float)((samples[i] - mean) / std);
        return result;
    }
}
