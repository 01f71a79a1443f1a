using System.Buffers.Binary;
using System.Text;

namespace Wav2Vec2Sharp.Tests.Audio;

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "w2v-audio-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Builds WAV files byte by byte, so that tests control every field.</summary>
internal sealed class WavBuilder
{
    public ushort FormatTag { get; init; } = 1;
    public int Channels { get; init; } = 1;
    public int SampleRate { get; init; } = 16000;
    public int BitsPerSample { get; init; } = 16;
    /// <summary>Writes WAVE_FORMAT_EXTENSIBLE with this sub-format (1 = PCM, 3 = float) when set.</summary>
    public ushort? ExtensibleSubFormat { get; init; }
    public byte[] Data { get; init; } = [];
    /// <summary>Replaces the data chunk's size field (e.g. 0 or 0xFFFFFFFF as streaming tools write it).</summary>
    public uint? DataSizeField { get; init; }
    public List<(string Id, byte[] Body)> ChunksBeforeFmt { get; init; } = [];
    public List<(string Id, byte[] Body)> ChunksBeforeData { get; init; } = [];
    public List<(string Id, byte[] Body)> ChunksAfterData { get; init; } = [];
    public bool DataBeforeFmt { get; init; }
    public bool Rf64 { get; init; }

    /// <summary>16-bit PCM data of <paramref name="samples"/> (each scaled by 32767 and rounded).</summary>
    public static byte[] Pcm16(ReadOnlySpan<float> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)Math.Round(samples[i] * 32767));
        return bytes;
    }

    public byte[] ToBytes()
    {
        var body = new MemoryStream();
        if (Rf64)
        {
            var ds64 = new byte[28];
            BinaryPrimitives.WriteUInt64LittleEndian(ds64.AsSpan(8), (ulong)Data.Length);
            WriteChunk(body, "ds64", ds64);
        }
        foreach (var (id, b) in ChunksBeforeFmt)
            WriteChunk(body, id, b);
        if (!DataBeforeFmt)
            WriteChunk(body, "fmt ", Fmt());
        foreach (var (id, b) in ChunksBeforeData)
            WriteChunk(body, id, b);
        WriteChunk(body, "data", Data, Rf64 ? 0xFFFFFFFF : DataSizeField);
        if (DataBeforeFmt)
            WriteChunk(body, "fmt ", Fmt());
        foreach (var (id, b) in ChunksAfterData)
            WriteChunk(body, id, b);

        var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes(Rf64 ? "RF64" : "RIFF"));
        WriteUInt32(file, Rf64 ? 0xFFFFFFFF : (uint)(4 + body.Length));
        file.Write("WAVE"u8);
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    private byte[] Fmt()
    {
        int bytesPerSample = (BitsPerSample + 7) / 8;
        int blockAlign = Channels * bytesPerSample;
        var f = new byte[ExtensibleSubFormat is null ? 16 : 40];
        BinaryPrimitives.WriteUInt16LittleEndian(f, ExtensibleSubFormat is null ? FormatTag : (ushort)0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4), (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(8), (uint)(SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)BitsPerSample);
        if (ExtensibleSubFormat is { } sub)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), (ushort)BitsPerSample);
            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(20), Channels == 2 ? 3u : 0u);
            new Guid($"{sub:X8}-0000-0010-8000-00AA00389B71").TryWriteBytes(f.AsSpan(24));
        }
        return f;
    }

    private static void WriteChunk(Stream s, string id, byte[] body, uint? sizeField = null)
    {
        s.Write(Encoding.ASCII.GetBytes(id));
        WriteUInt32(s, sizeField ?? (uint)body.Length);
        s.Write(body);
        if ((body.Length & 1) != 0)
            s.WriteByte(0);
    }

    private static void WriteUInt32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }
}

/// <summary>Signals and measurements shared by the audio tests.</summary>
internal static class Signals
{
    /// <summary>Deterministic pseudo-random integers spanning [min, max], with both extremes and zero at the start.</summary>
    public static long[] Integers(int count, long min, long max, int seed)
    {
        var rng = new Random(seed);
        var v = new long[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = i switch
            {
                0 => min,
                1 => max,
                2 => 0,
                _ => min + (long)(rng.NextDouble() * (max - min + 1)),
            };
            v[i] = Math.Clamp(v[i], min, max);
        }
        return v;
    }

    public static float[] Sine(int count, double frequency, int sampleRate, double amplitude = 0.5, double phase = 0)
    {
        var s = new float[count];
        for (int i = 0; i < count; i++)
            s[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate + phase));
        return s;
    }

    /// <summary>Amplitude and phase of the component at <paramref name="frequency"/>, by least squares on sin and cos.</summary>
    public static (double Amplitude, double Phase) FitSine(ReadOnlySpan<float> x, double frequency, int sampleRate)
    {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            double s = Math.Sin(w), c = Math.Cos(w);
            ss += s * s; cc += c * c; sc += s * c; xs += x[i] * s; xc += x[i] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det; // coefficient of sin
        double b = (xc * ss - xs * sc) / det; // coefficient of cos
        return (Math.Sqrt(a * a + b * b), Math.Atan2(b, a));
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
            sum += (double)v * v;
        return Math.Sqrt(sum / x.Length);
    }

    /// <summary>Pearson correlation of two equally long spans.</summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>
    /// The best correlation of <paramref name="decoded"/> against <paramref name="reference"/> over lags 0..maxLag
    /// (decoded[i + lag] against reference[i]), and that lag; both ends are left out by <paramref name="margin"/>.
    /// </summary>
    public static (double Correlation, int Lag) BestAlignment(float[] reference, float[] decoded, int maxLag, int margin)
    {
        int length = Math.Min(reference.Length, decoded.Length) - 2 * margin - maxLag;
        double best = double.NegativeInfinity;
        int bestLag = 0;
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double c = Correlation(reference.AsSpan(margin, length), decoded.AsSpan(margin + lag, length));
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }
        return (best, bestLag);
    }
}
