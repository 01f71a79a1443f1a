namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>
/// A second-order IIR section (transposed direct form II) with the coefficients of Robert Bristow-Johnson's "Audio EQ
/// Cookbook"; two in cascade with Q = 0.5412 and 1.3066 make a 4th-order Butterworth filter.
/// </summary>
internal sealed class Biquad
{
    /// <summary>The Q factors of the two sections of a 4th-order Butterworth filter: 1 / (2 cos(π/8)) and 1 / (2 cos(3π/8)).</summary>
    public static readonly double[] ButterworthOrder4Q = [1 / (2 * Math.Cos(Math.PI / 8)), 1 / (2 * Math.Cos(3 * Math.PI / 8))];

    private readonly double _b0, _b1, _b2, _a1, _a2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        _b0 = b0 / a0;
        _b1 = b1 / a0;
        _b2 = b2 / a0;
        _a1 = a1 / a0;
        _a2 = a2 / a0;
    }

    /// <summary>A low-pass section with cut-off <paramref name="frequency"/> Hz.</summary>
    public static Biquad LowPass(double frequency, double q, int sampleRate)
    {
        double w0 = 2 * Math.PI * frequency / sampleRate;
        double cos = Math.Cos(w0), alpha = Math.Sin(w0) / (2 * q);
        return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>A high-pass section with cut-off <paramref name="frequency"/> Hz.</summary>
    public static Biquad HighPass(double frequency, double q, int sampleRate)
    {
        double w0 = 2 * Math.PI * frequency / sampleRate;
        double cos = Math.Cos(w0), alpha = Math.Sin(w0) / (2 * q);
        return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>A low-shelf section: gain <paramref name="gainDb"/> below <paramref name="frequency"/> Hz (shelf slope 1).</summary>
    public static Biquad LowShelf(double frequency, double gainDb, int sampleRate) => Shelf(frequency, gainDb, sampleRate, high: false);

    /// <summary>A high-shelf section: gain <paramref name="gainDb"/> above <paramref name="frequency"/> Hz (shelf slope 1).</summary>
    public static Biquad HighShelf(double frequency, double gainDb, int sampleRate) => Shelf(frequency, gainDb, sampleRate, high: true);

    /// <summary>A peaking section: gain <paramref name="gainDb"/> at <paramref name="frequency"/> Hz, bandwidth set by <paramref name="q"/>.</summary>
    public static Biquad Peaking(double frequency, double gainDb, double q, int sampleRate)
    {
        double a = Math.Pow(10, gainDb / 40);
        double w0 = 2 * Math.PI * frequency / sampleRate;
        double cos = Math.Cos(w0), alpha = Math.Sin(w0) / (2 * q);
        return new Biquad(1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a);
    }

    private static Biquad Shelf(double frequency, double gainDb, int sampleRate, bool high)
    {
        double a = Math.Pow(10, gainDb / 40);
        double w0 = 2 * Math.PI * frequency / sampleRate;
        double cos = Math.Cos(w0), alpha = Math.Sin(w0) / 2 * Math.Sqrt(2);   // shelf slope S = 1
        double root = 2 * Math.Sqrt(a) * alpha;
        double sign = high ? -1 : 1;   // the cookbook's high shelf is its low shelf with the signs of cos flipped
        return new Biquad(
            a * ((a + 1) - sign * (a - 1) * cos + root),
            sign * 2 * a * ((a - 1) - sign * (a + 1) * cos),
            a * ((a + 1) - sign * (a - 1) * cos - root),
            (a + 1) + sign * (a - 1) * cos + root,
            -sign * 2 * ((a - 1) + sign * (a + 1) * cos),
            (a + 1) + sign * (a - 1) * cos - root);
    }

    /// <summary>Filters <paramref name="samples"/> in place, from a zero state.</summary>
    public void Process(Span<double> samples)
    {
        double z1 = 0, z2 = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double x = samples[i];
            double y = _b0 * x + z1;
            z1 = _b1 * x - _a1 * y + z2;
            z2 = _b2 * x - _a2 * y;
            samples[i] = y;
        }
    }
}
