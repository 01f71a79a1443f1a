namespace Wav2Vec2Sharp.Tests.Audio;

/// <summary>An MSB-first bit writer.</summary>
internal sealed class BitWriter
{
    private readonly List<byte> _bytes = [];
    private int _bitsInLast = 8;

    public int Length => _bytes.Count;

    public void Write(ulong value, int bits)
    {
        for (int i = bits - 1; i >= 0; i--)
        {
            if (_bitsInLast == 8)
            {
                _bytes.Add(0);
                _bitsInLast = 0;
            }
            if (((value >> i) & 1) != 0)
                _bytes[^1] |= (byte)(0x80 >> _bitsInLast);
            _bitsInLast++;
        }
    }

    public void WriteSigned(long value, int bits) => Write((ulong)value & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1), bits);

    public void WriteUnary(ulong zeros)
    {
        for (ulong i = 0; i < zeros; i++)
            Write(0, 1);
        Write(1, 1);
    }

    public void WriteRice(long value, int k)
    {
        ulong u = value >= 0 ? (ulong)value << 1 : ((ulong)(-(value + 1)) << 1) | 1;
        WriteUnary(u >> k);
        Write(u & ((1UL << k) - 1), k);
    }

    public void AlignToByte() => _bitsInLast = 8;

    public byte[] ToArray() => [.. _bytes];
}

/// <summary>How a residual is coded: the method (0 Rice, 1 Rice2), partition order and per-partition parameters.</summary>
/// <param name="Parameters">
/// One per partition: a Rice parameter, <see cref="Auto"/> to pick one from the residual, or <c>null</c> for an escaped
/// partition of <see cref="EscapeBits"/>-bit raw values.
/// </param>
internal sealed record ResidualCoding(int Method, int PartitionOrder, int?[] Parameters, int EscapeBits = 0)
{
    public const int Auto = -1;

    /// <summary>Rice (4-bit parameters) with one partition per 2^order, parameters picked from the residual.</summary>
    public static ResidualCoding Rice(int partitionOrder = 0) => new(0, partitionOrder, Enumerable.Repeat<int?>(Auto, 1 << partitionOrder).ToArray());
}

/// <summary>
/// A tiny FLAC encoder for tests: it writes exactly the subframe types, predictors and residual codings it is told
/// to, so that decoder paths the reference encoder rarely takes (escape codes, order-32 LPC, fixed order 3, Rice2
/// with 16-bit audio, 32-bit samples) are exercised against known samples.
/// </summary>
internal static class FlacTestEncoder
{
    public static byte[] StreamHeader(int sampleRate, int channels, int bitsPerSample, long totalSamples, int blockSize)
    {
        var w = new BitWriter();
        w.Write(0x664C6143, 32); // fLaC
        w.Write(1, 1);          // last metadata block
        w.Write(0, 7);          // STREAMINFO
        w.Write(34, 24);
        w.Write((ulong)blockSize, 16);
        w.Write((ulong)blockSize, 16);
        w.Write(0, 24);
        w.Write(0, 24);
        w.Write((ulong)sampleRate, 20);
        w.Write((ulong)(channels - 1), 3);
        w.Write((ulong)(bitsPerSample - 1), 5);
        w.Write((ulong)totalSamples, 36);
        w.Write(0, 64);
        w.Write(0, 64);         // MD5 unset
        return w.ToArray();
    }

    /// <summary>A frame with a 16-bit block size and the sample rate and sample size taken from STREAMINFO.</summary>
    public static byte[] Frame(long frameNumber, int blockSize, int channelAssignment, Action<BitWriter> writeSubframes)
    {
        var w = new BitWriter();
        w.Write(0x3FFE, 14);
        w.Write(0, 1);
        w.Write(0, 1);                        // fixed block size
        w.Write(7, 4);                        // 16-bit block size - 1 follows
        w.Write(0, 4);                        // sample rate from STREAMINFO
        w.Write((ulong)channelAssignment, 4);
        w.Write(0, 3);                        // sample size from STREAMINFO
        w.Write(0, 1);
        WriteUtf8(w, frameNumber);
        w.Write((ulong)(blockSize - 1), 16);
        w.Write(Crc8(w.ToArray()), 8);
        writeSubframes(w);
        w.AlignToByte();
        w.Write(Crc16(w.ToArray()), 16);
        return w.ToArray();
    }

    private static void WriteUtf8(BitWriter w, long v)
    {
        if (v < 0x80)
        {
            w.Write((ulong)v, 8);
            return;
        }
        int extra = 1;
        while (v >= 1L << (6 * extra + 6 - extra))
            extra++;
        int leadBits = 6 - extra;
        ulong lead = (0xFFUL << (7 - extra)) & 0xFF;
        w.Write(lead | (ulong)(v >> (6 * extra)) & ((1UL << leadBits) - 1), 8);
        for (int i = extra - 1; i >= 0; i--)
            w.Write(0x80 | (ulong)(v >> (6 * i)) & 0x3F, 8);
    }

    public static void Constant(BitWriter w, long value, int bps)
    {
        w.Write(0, 1);
        w.Write(0, 6);
        w.Write(0, 1);
        w.WriteSigned(value, bps);
    }

    /// <summary>A VERBATIM subframe; with <paramref name="wastedBits"/> the samples must be multiples of 2^wasted.</summary>
    public static void Verbatim(BitWriter w, long[] samples, int bps, int wastedBits = 0)
    {
        w.Write(0, 1);
        w.Write(1, 6);
        WriteWasted(w, wastedBits);
        foreach (long s in samples)
            w.WriteSigned(s >> wastedBits, bps - wastedBits);
    }

    public static void Fixed(BitWriter w, long[] samples, int bps, int order, ResidualCoding coding)
    {
        w.Write(0, 1);
        w.Write((ulong)(8 + order), 6);
        w.Write(0, 1);
        for (int i = 0; i < order; i++)
            w.WriteSigned(samples[i], bps);
        var residual = new long[samples.Length];
        for (int i = order; i < samples.Length; i++)
        {
            long p = order switch
            {
                0 => 0,
                1 => samples[i - 1],
                2 => 2 * samples[i - 1] - samples[i - 2],
                3 => 3 * samples[i - 1] - 3 * samples[i - 2] + samples[i - 3],
                _ => 4 * samples[i - 1] - 6 * samples[i - 2] + 4 * samples[i - 3] - samples[i - 4],
            };
            residual[i] = samples[i] - p;
        }
        WriteResidual(w, residual, order, coding);
    }

    public static void Lpc(BitWriter w, long[] samples, int bps, int[] coefficients, int precision, int shift, ResidualCoding coding, int wastedBits = 0)
    {
        int order = coefficients.Length;
        var s = samples.Select(x => x >> wastedBits).ToArray();
        bps -= wastedBits;
        w.Write(0, 1);
        w.Write((ulong)(32 + order - 1), 6);
        WriteWasted(w, wastedBits);
        for (int i = 0; i < order; i++)
            w.WriteSigned(s[i], bps);
        w.Write((ulong)(precision - 1), 4);
        w.WriteSigned(shift, 5);
        foreach (int c in coefficients)
            w.WriteSigned(c, precision);
        var residual = new long[s.Length];
        for (int i = order; i < s.Length; i++)
        {
            long sum = 0;
            for (int j = 0; j < order; j++)
                sum += coefficients[j] * s[i - 1 - j];
            residual[i] = s[i] - (sum >> shift);
        }
        WriteResidual(w, residual, order, coding);
    }

    private static void WriteWasted(BitWriter w, int wastedBits)
    {
        if (wastedBits == 0)
        {
            w.Write(0, 1);
            return;
        }
        w.Write(1, 1);
        w.WriteUnary((ulong)(wastedBits - 1));
    }

    private static void WriteResidual(BitWriter w, long[] residual, int order, ResidualCoding coding)
    {
        w.Write((ulong)coding.Method, 2);
        w.Write((ulong)coding.PartitionOrder, 4);
        int paramBits = coding.Method == 0 ? 4 : 5;
        int partitions = 1 << coding.PartitionOrder;
        int size = residual.Length / partitions;
        for (int p = 0; p < partitions; p++)
        {
            int start = p == 0 ? order : p * size;
            int end = (p + 1) * size;
            if (coding.Parameters[p] is int k)
            {
                if (k == ResidualCoding.Auto)
                {
                    long max = 0;
                    for (int i = start; i < end; i++)
                        max = Math.Max(max, Math.Abs(residual[i]));
                    k = Math.Min(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)max), coding.Method == 0 ? 14 : 30);
                }
                w.Write((ulong)k, paramBits);
                for (int i = start; i < end; i++)
                    w.WriteRice(residual[i], k);
            }
            else
            {
                w.Write((1UL << paramBits) - 1, paramBits);
                w.Write((ulong)coding.EscapeBits, 5);
                for (int i = start; i < end; i++)
                    w.WriteSigned(residual[i], coding.EscapeBits);
            }
        }
    }

    public static byte Crc8(byte[] bytes)
    {
        int crc = 0;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return (byte)crc;
    }

    public static ushort Crc16(byte[] bytes)
    {
        int crc = 0;
        foreach (byte b in bytes)
        {
            crc ^= b << 8;
            for (int i = 0; i < 8; i++)
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        return (ushort)crc;
    }
}
