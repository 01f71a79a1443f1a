namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>Gaussian and coloured noise for the channel effects.</summary>
internal static class Noise
{
    /// <summary><paramref name="count"/> standard normal draws (Box–Muller, two per pair of uniforms).</summary>
    public static double[] Gaussian(int count, Random random)
    {
        var result = new double[count];
        for (int i = 0; i < count; i += 2)
        {
            double u1 = 1 - random.NextDouble();   // (0, 1]
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            result[i] = radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < count)
                result[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }
        return result;
    }

    /// <summary>
    /// Zero-mean noise of <paramref name="color"/>: white Gaussian noise, shaped for pink and brown in the frequency
    /// domain by 1/√f and 1/f in amplitude over a power-of-two block (the first <paramref name="count"/> samples are
    /// kept), flat below 1/1000 of the sample rate (16 Hz at 16 kHz) so that the lowest bins do not dominate.
    /// </summary>
    public static double[] Colored(int count, NoiseColor color, Random random)
    {
        if (count == 0)
            return [];
        double[] result;
        if (color == NoiseColor.White)
        {
            result = Gaussian(count, random);
        }
        else
        {
            int size = Fft.NextPowerOfTwo(Math.Max(count, 2));
            var re = Gaussian(size, random);
            var im = new double[size];
            Fft.Transform(re, im, inverse: false);
            int floor = Math.Max(1, size / 1000);
            re[0] = im[0] = 0;
            for (int bin = 1; bin < size; bin++)
            {
                double f = Math.Max(Math.Min(bin, size - bin), floor);
                double weight = color == NoiseColor.Pink ? 1 / Math.Sqrt(f) : 1 / f;
                re[bin] *= weight;
                im[bin] *= weight;
            }
            Fft.Transform(re, im, inverse: true);
            result = re.Length == count ? re : re[..count];
        }

        double mean = 0;
        foreach (double x in result)
            mean += x;
        mean /= count;
        for (int i = 0; i < count; i++)
            result[i] -= mean;
        return result;
    }
}
