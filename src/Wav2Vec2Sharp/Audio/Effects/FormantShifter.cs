namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// Vocal-tract-length perturbation on the waveform: every short-time spectrum is multiplied by the ratio of its own
/// spectral envelope, frequency-warped by a factor, to the unwarped envelope. The envelope is the frame's linear
/// prediction (all-pole) model of order 2 + rate/1000 (18 at 16 kHz), which follows the formants and not the harmonics,
/// so formants move by the factor while the harmonics (the pitch) and the timing stay where they were.
/// </summary>
/// <remarks>
/// Short-time Fourier transform with a 512-point periodic Hann window at 16 kHz (32 ms; scaled with the rate to the
/// next power of two), hop a quarter of the window, weighted overlap-add with the same window and per-sample
/// normalisation, so a factor of 1 reconstructs the input up to rounding. Gains are limited to ±20 dB so that a
/// near-silent band cannot be boosted into noise; silent frames pass unchanged.
/// </remarks>
internal static class FormantShifter
{
    private const double MaxLogGain = 2.302585092994046;   // ln 10: ±20 dB

    public static float[] Shift(float[] samples, int sampleRate, double factor)
    {
        int size = Fft.NextPowerOfTwo((int)Math.Round(512.0 * sampleRate / 16000));
        int hop = size / 4;
        int half = size / 2;
        int order = 2 + sampleRate / 1000;
        var window = new double[size];
        for (int i = 0; i < size; i++)
            window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / size);

        // Frames start at -half so that the first and last samples sit under a full window's worth of overlap.
        int frames = (samples.Length + half) / hop + 1;
        var output = new double[samples.Length];
        var norm = new double[samples.Length];
        var frame = new double[size];
        var re = new double[size];
        var im = new double[size];
        var polyRe = new double[size];
        var polyIm = new double[size];
        var envelope = new double[half + 1];
        var predictor = new LinearPredictor(order);
        for (int f = 0; f < frames; f++)
        {
            int start = f * hop - half;
            for (int i = 0; i < size; i++)
            {
                int t = start + i;
                frame[i] = t >= 0 && t < samples.Length ? samples[t] * window[i] : 0;
                re[i] = frame[i];
                im[i] = 0;
            }
            Fft.Transform(re, im, inverse: false);
            if (predictor.LogEnvelope(frame, polyRe, polyIm, envelope))
            {
                for (int k = 0; k <= half; k++)
                {
                    double source = k / factor;          // the envelope at k/α lands at k
                    double warped = source >= half ? envelope[half] : Interpolate(envelope, source);
                    double gain = Math.Exp(Math.Clamp(warped - envelope[k], -MaxLogGain, MaxLogGain));
                    re[k] *= gain;
                    im[k] *= gain;
                    if (k > 0 && k < half)
                    {
                        re[size - k] *= gain;
                        im[size - k] *= gain;
                    }
                }
            }
            Fft.Transform(re, im, inverse: true);
            for (int i = 0; i < size; i++)
            {
                int t = start + i;
                if (t < 0 || t >= samples.Length)
                    continue;
                output[t] += re[i] * window[i];
                norm[t] += window[i] * window[i];
            }
        }
        var result = new float[samples.Length];
        for (int t = 0; t < result.Length; t++)
            result[t] = norm[t] > 1e-9 ? (float)(output[t] / norm[t]) : 0f;
        return result;
    }

    /// <summary>Linear prediction of one order, with its work arrays allocated once for all the frames of a signal.</summary>
    private sealed class LinearPredictor(int order)
    {
        private readonly double[] _r = new double[order + 1];
        private readonly double[] _a = new double[order + 1];
        private readonly double[] _previous = new double[order + 1];

        /// <summary>
        /// Natural-log all-pole envelope −ln |A(e^{iω})| of bins 0..n/2 from the frame's autocorrelation (Levinson–Durbin);
        /// false for a silent frame.
        /// </summary>
        public bool LogEnvelope(double[] frame, double[] polyRe, double[] polyIm, double[] envelope)
        {
            var r = _r;
            for (int lag = 0; lag <= order; lag++)
            {
                double sum = 0;
                for (int i = lag; i < frame.Length; i++)
                    sum += frame[i] * frame[i - lag];
                r[lag] = sum;
            }
            if (r[0] < 1e-10)
                return false;
            r[0] *= 1 + 1e-9;      // white-noise correction keeps the recursion stable
            var a = _a;
            var previous = _previous;
            Array.Clear(a);
            a[0] = 1;
            double error = r[0];
            for (int m = 1; m <= order; m++)
            {
                double acc = r[m];
                for (int j = 1; j < m; j++)
                    acc += a[j] * r[m - j];
                double reflection = -acc / error;
                Array.Copy(a, previous, m);
                for (int j = 1; j < m; j++)
                    a[j] = previous[j] + reflection * previous[m - j];
                a[m] = reflection;
                error *= 1 - reflection * reflection;
                if (error <= 0)
                    return false;
            }
            Array.Clear(polyRe);
            Array.Clear(polyIm);
            Array.Copy(a, polyRe, order + 1);
            Fft.Transform(polyRe, polyIm, inverse: false);
            for (int k = 0; k < envelope.Length; k++)
                envelope[k] = -0.5 * Math.Log(polyRe[k] * polyRe[k] + polyIm[k] * polyIm[k] + 1e-30);
            return true;
        }
    }

    private static double Interpolate(double[] values, double position)
    {
        int index = (int)position;
        double fraction = position - index;
        return index + 1 < values.Length ? values[index] * (1 - fraction) + values[index + 1] * fraction : values[^1];
    }
}
