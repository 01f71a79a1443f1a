using System.Buffers.Binary;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>Writes mono 16-bit PCM WAV files (a 44-byte RIFF header and the samples).</summary>
internal static class Pcm16Wav
{
    /// <summary>
    /// Writes <paramref name="samples"/> (nominally in [-1, 1]) as 16-bit PCM: each is multiplied by 32768, rounded to
    /// the nearest integer and clamped to [-32768, 32767], so that reading the file back (dividing by 32768) gives the
    /// quantised values exactly.
    /// </summary>
    public static void Write(Stream stream, ReadOnlySpan<float> samples, int sampleRate)
    {
        long dataBytes = 2L * samples.Length;
        if (dataBytes > uint.MaxValue - 36)
            throw new ArgumentException("Too many samples for a WAV file.", nameof(samples));
        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);              // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 1);              // mono
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 2);              // block align
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);             // bits per sample
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        stream.Write(header);

        var buffer = new byte[Math.Min(samples.Length, 1 << 15) * 2];
        for (int start = 0; start < samples.Length; start += buffer.Length / 2)
        {
            int count = Math.Min(buffer.Length / 2, samples.Length - start);
            for (int i = 0; i < count; i++)
                BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(2 * i), ToInt16(samples[start + i]));
            stream.Write(buffer, 0, 2 * count);
        }
    }

    /// <summary>The 16-bit value of <paramref name="sample"/>; NaN becomes 0.</summary>
    public static short ToInt16(float sample)
    {
        if (float.IsNaN(sample))
            return 0;
        return (short)Math.Clamp(Math.Round(sample * 32768.0), short.MinValue, short.MaxValue);
    }
}
