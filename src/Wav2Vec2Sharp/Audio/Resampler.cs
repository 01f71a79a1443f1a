using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// A band-limited polyphase resampler: a windowed-sinc low-pass filter with a Kaiser window, evaluated at the
/// rational ratio <c>to/from</c> reduced by their greatest common divisor (44100 → 16000 is 160/441), as torchaudio's
/// <c>resample(..., resampling_method="sinc_interp_kaiser")</c> does.
/// </summary>
/// <remarks>
/// <para>
/// Our own because no resampler package on NuGet reproduces torchaudio's Kaiser sinc, and the model's input must equal
/// the Python pipeline's for the logits to match; checked against torchaudio.
/// </para>
/// <para>
/// The defaults are close to torchaudio's and librosa's "kaiser_best": 64 zero crossings of the sinc on each side,
/// cut-off at 0.95 of the lower Nyquist frequency (7.6 kHz when the lower rate is 16 kHz), Kaiser β = 14.77 (a
/// stop-band roughly 140 dB down). The filter is evaluated exactly at each output instant, so there is no
/// interpolation error; the input is taken as zero outside its ends.
/// </para>
/// <para>
/// Output sample <c>m</c> lies at input time <c>m · from / to</c>; the output has
/// <c>ceil(n · to / from)</c> samples (<see cref="OutputLength"/>), like torchaudio.
/// </para>
/// </remarks>
public sealed class Resampler
{
    /// <summary>The default number of zero crossings of the sinc kept on each side of the centre.</summary>
    public const int DefaultLowpassFilterWidth = 64;

    /// <summary>The default cut-off, as a fraction of the Nyquist frequency of the lower of the two rates.</summary>
    public const double DefaultRolloff = 0.95;

    /// <summary>The default Kaiser window β (torchaudio's and librosa's "kaiser_best").</summary>
    public const double DefaultBeta = 14.769656459379492;

    // Above this many kernel coefficients (phases × taps) the kernels are computed per output sample instead of stored.
    private const long MaxTableSize = 1 << 22;

    private static readonly ConcurrentDictionary<(int From, int To), Resampler> Cache = new();

    private readonly int _up;        // output samples per period (reduced target rate)
    private readonly int _down;      // input samples per period (reduced source rate)
    private readonly double _halfWidth;  // filter half-width in input samples
    private readonly double _base;   // cut-off in the reduced units: min(up, down) · rolloff
    private readonly int _lowpassFilterWidth;
    private readonly double _beta;
    private readonly double _i0Beta;
    private readonly int _taps;
    private readonly int[] _firstTap;   // per phase: offset of the first tap from q · down
    private readonly float[]? _table;   // per phase: _taps coefficients, or null when computed on the fly

    /// <summary>Creates a resampler from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz.</summary>
    /// <param name="fromRate">The input sample rate, in Hz.</param>
    /// <param name="toRate">The output sample rate, in Hz.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc kept on each side; larger is sharper and slower.</param>
    /// <param name="rolloff">The cut-off as a fraction of the lower Nyquist frequency, in (0, 1].</param>
    /// <param name="beta">The Kaiser window β; larger gives more stop-band attenuation and a wider transition band.</param>
    public Resampler(int fromRate, int toRate, int lowpassFilterWidth = DefaultLowpassFilterWidth,
        double rolloff = DefaultRolloff, double beta = DefaultBeta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lowpassFilterWidth);
        if (!(rolloff > 0 && rolloff <= 1))
            throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "The roll-off must be in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(beta);

        FromRate = fromRate;
        ToRate = toRate;
        int g = Gcd(fromRate, toRate);
        _down = fromRate / g;
        _up = toRate / g;
        _lowpassFilterWidth = lowpassFilterWidth;
        _beta = beta;
        _i0Beta = BesselI0(beta);
        _base = Math.Min(_up, _down) * rolloff;
        _halfWidth = lowpassFilterWidth * _down / _base;
        _taps = (int)Math.Floor(2 * _halfWidth) + 2;

        _firstTap = new int[_up];
        for (int j = 0; j < _up; j++)
            _firstTap[j] = (int)Math.Ceiling((double)j * _down / _up - _halfWidth);

        if ((long)_up * _taps <= MaxTableSize)
        {
            _table = new float[_up * _taps];
            for (int j = 0; j < _up; j++)
                FillKernel(j, _table.AsSpan(j * _taps, _taps));
        }
    }

    /// <summary>The input sample rate, in Hz.</summary>
    public int FromRate { get; }

    /// <summary>The output sample rate, in Hz.</summary>
    public int ToRate { get; }

    /// <summary>The number of output samples for <paramref name="inputLength"/> input samples: <c>ceil(n · to / from)</c>.</summary>
    /// <param name="inputLength">The number of input samples.</param>
    /// <param name="fromRate">The input sample rate, in Hz.</param>
    /// <param name="toRate">The output sample rate, in Hz.</param>
    /// <returns>The output length.</returns>
    public static int OutputLength(int inputLength, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        long length = ((long)inputLength * toRate + fromRate - 1) / fromRate;
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, "The resampled signal would be too long for an array.");
        return (int)length;
    }

    /// <summary>
    /// Resamples <paramref name="input"/> from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz with the
    /// default filter; the filter for each pair of rates is built once and kept. Equal rates give a copy of the input.
    /// </summary>
    /// <param name="input">The input samples.</param>
    /// <param name="fromRate">The input sample rate, in Hz.</param>
    /// <param name="toRate">The output sample rate, in Hz.</param>
    /// <returns>A new array of <see cref="OutputLength"/> samples.</returns>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
            return input.ToArray();
        if (!Cache.TryGetValue((fromRate, toRate), out var resampler))
        {
            resampler = new Resampler(fromRate, toRate);
            if (resampler._table is not null && Cache.Count < 64)
                Cache.TryAdd((fromRate, toRate), resampler);
        }
        return resampler.Process(input);
    }

    /// <summary>Resamples <paramref name="input"/>.</summary>
    /// <param name="input">The input samples, at <see cref="FromRate"/>.</param>
    /// <returns>A new array of <see cref="OutputLength"/> samples at <see cref="ToRate"/>.</returns>
    public float[] Process(ReadOnlySpan<float> input)
    {
        int outLength = OutputLength(input.Length, FromRate, ToRate);
        var output = new float[outLength];
        if (outLength == 0)
            return output;
        if (_up == _down)
        {
            input.CopyTo(output);
            return output;
        }

        // Zero-pad so that every tap of every output sample falls inside the buffer.
        int pad = (int)Math.Ceiling(_halfWidth) + 2;
        var padded = new float[pad + input.Length + _down + _taps + pad];
        input.CopyTo(padded.AsSpan(pad));

        float[] scratch = _table is null ? new float[_taps] : [];
        int lastPhase = -1;
        for (int m = 0; m < outLength; m++)
        {
            long q = Math.DivRem(m, (long)_up, out long jl);
            int j = (int)jl;
            ReadOnlySpan<float> kernel;
            if (_table is not null)
            {
                kernel = _table.AsSpan(j * _taps, _taps);
            }
            else
            {
                if (j != lastPhase)
                    FillKernel(j, scratch);
                lastPhase = j;
                kernel = scratch;
            }
            int start = (int)(q * _down) + _firstTap[j] + pad;
            output[m] = Dot(padded.AsSpan(start, _taps), kernel);
        }
        return output;
    }

    /// <summary>The taps of phase <paramref name="j"/>: <c>scale · sinc(π t) · kaiser(t)</c> at t = (i − j·down/up) · base / down.</summary>
    private void FillKernel(int j, Span<float> kernel)
    {
        double scale = _base / _down;
        for (int k = 0; k < kernel.Length; k++)
        {
            long i = _firstTap[j] + k;
            double t = (double)(i * _up - (long)j * _down) * _base / ((double)_up * _down);
            if (Math.Abs(t) >= _lowpassFilterWidth)
            {
                kernel[k] = 0;
                continue;
            }
            double r = t / _lowpassFilterWidth;
            double window = BesselI0(_beta * Math.Sqrt(1 - r * r)) / _i0Beta;
            double sinc = t == 0 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
            kernel[k] = (float)(scale * sinc * window);
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < va.Length; v++)
                acc += va[v] * vb[v];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>The modified Bessel function of the first kind, order 0, by its power series.</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (int k = 1; k < 500; k++)
        {
            term *= half / k;
            double t2 = term * term;
            sum += t2;
            if (t2 < sum * 1e-17)
                break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
