using System.Collections.Concurrent;
using System.Numerics;

namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>An in-place iterative radix-2 complex FFT, and FFT convolution, for the channel effects.</summary>
internal static class Fft
{
    // Per power-of-two size: cos and sin of -2πk/n for k < n/2, shared by every stage (stage of length L uses stride n/L).
    private static readonly ConcurrentDictionary<int, (double[] Cos, double[] Sin)> Twiddles = new();

    /// <summary>The smallest power of two ≥ <paramref name="n"/> (at least 1).</summary>
    public static int NextPowerOfTwo(int n)
    {
        int size = 1;
        while (size < n)
            size <<= 1;
        return size;
    }

    /// <summary>Transforms <paramref name="data"/> in place; its length must be a power of two. The inverse divides by n.</summary>
    public static void Transform(Complex[] data, bool inverse)
    {
        var re = new double[data.Length];
        var im = new double[data.Length];
        for (int i = 0; i < data.Length; i++)
            (re[i], im[i]) = (data[i].Real, data[i].Imaginary);
        Transform(re, im, inverse);
        for (int i = 0; i < data.Length; i++)
            data[i] = new Complex(re[i], im[i]);
    }

    /// <summary>
    /// Transforms the complex signal (<paramref name="re"/>, <paramref name="im"/>) in place; the length must be a power
    /// of two. The forward transform uses e^(−2πi·kn/N); the inverse divides by N.
    /// </summary>
    public static void Transform(double[] re, double[] im, bool inverse)
    {
        int n = re.Length;
        if (im.Length != n)
            throw new ArgumentException("The real and imaginary parts must be equally long.", nameof(im));
        if (n <= 1)
            return;
        if ((n & (n - 1)) != 0)
            throw new ArgumentException("The FFT length must be a power of two.", nameof(re));

        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
                j ^= bit;
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        var (cos, sin) = Twiddles.GetOrAdd(n, static size =>
        {
            var c = new double[size / 2];
            var s = new double[size / 2];
            for (int k = 0; k < size / 2; k++)
            {
                c[k] = Math.Cos(-2 * Math.PI * k / size);
                s[k] = Math.Sin(-2 * Math.PI * k / size);
            }
            return (c, s);
        });
        double sign = inverse ? -1 : 1;
        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1;
            int stride = n / length;
            for (int start = 0; start < n; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = cos[k * stride], wi = sign * sin[k * stride];
                    int a = start + k, b = a + half;
                    double vr = re[b] * wr - im[b] * wi;
                    double vi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - vr;
                    im[b] = im[a] - vi;
                    re[a] += vr;
                    im[a] += vi;
                }
            }
        }

        if (inverse)
        {
            double scale = 1.0 / n;
            for (int i = 0; i < n; i++)
            {
                re[i] *= scale;
                im[i] *= scale;
            }
        }
    }

    /// <summary>
    /// The first <paramref name="outputLength"/> samples of the linear convolution of <paramref name="signal"/> with
    /// <paramref name="kernel"/>: both real signals travel in one complex FFT (signal in the real part, kernel in the
    /// imaginary part) and are separated by the transform's symmetry.
    /// </summary>
    public static double[] Convolve(ReadOnlySpan<float> signal, ReadOnlySpan<float> kernel, int outputLength)
    {
        var result = new double[outputLength];
        if (signal.Length == 0 || kernel.Length == 0 || outputLength == 0)
            return result;
        int n = NextPowerOfTwo(signal.Length + kernel.Length - 1);
        var re = new double[n];
        var im = new double[n];
        for (int i = 0; i < signal.Length; i++)
            re[i] = signal[i];
        for (int i = 0; i < kernel.Length; i++)
            im[i] = kernel[i];
        Transform(re, im, inverse: false);

        // With Z = FFT(x + i·h): X[k] = (Z[k] + conj Z[n−k]) / 2 and H[k] = (Z[k] − conj Z[n−k]) / 2i.
        var pr = new double[n];
        var pi = new double[n];
        for (int k = 0; k < n; k++)
        {
            int m = (n - k) & (n - 1);
            double ar = re[k], ai = im[k], br = re[m], bi = -im[m];
            double xr = (ar + br) / 2, xi = (ai + bi) / 2;
            double hr = (ai - bi) / 2, hi = -(ar - br) / 2;
            pr[k] = xr * hr - xi * hi;
            pi[k] = xr * hi + xi * hr;
        }
        Transform(pr, pi, inverse: true);
        Array.Copy(pr, result, Math.Min(outputLength, n));
        return result;
    }
}
