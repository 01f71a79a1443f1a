using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

/// <summary>A decoded 8-bit RGB PNG.</summary>
internal sealed record DecodedPng(int Width, int Height, byte[] Pixels)
{
    public Rgb this[int x, int y] => new(Pixels[(y * Width + x) * 3], Pixels[(y * Width + x) * 3 + 1], Pixels[(y * Width + x) * 3 + 2]);
}

/// <summary>
/// A deliberately independent, minimal PNG reader: checks the signature, the chunk order and every CRC, inflates
/// the IDAT stream and undoes filter type 0. Supports what <see cref="PngEncoder"/> writes (8-bit RGB).
/// </summary>
internal static class PngTestReader
{
    private static readonly byte[] _signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static DecodedPng Decode(byte[] file)
    {
        Assert.Equal(_signature, file[..8]);
        var chunks = ReadChunks(file);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);

        var header = chunks[0].Data;
        Assert.Equal(13, header.Length);
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, header[8..]); // 8-bit RGB, deflate, filter method 0, no interlace

        using var compressed = new MemoryStream([.. chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data)]);
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var data = raw.ToArray();
        var stride = width * 3;
        Assert.Equal(height * (stride + 1), data.Length);

        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, data[y * (stride + 1)]); // filter type 0
            Array.Copy(data, y * (stride + 1) + 1, pixels, y * stride, stride);
        }

        return new DecodedPng(width, height, pixels);
    }

    public static List<(string Type, byte[] Data)> ReadChunks(byte[] file)
    {
        var chunks = new List<(string, byte[])>();
        var offset = 8;
        while (offset < file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            var typeAndData = file.AsSpan(offset + 4, 4 + length);
            var stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length));
            Assert.Equal(Crc(typeAndData), stored);
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        Assert.Equal(file.Length, offset);
        return chunks;
    }

    /// <summary>Bit-by-bit CRC-32 (reflected polynomial 0xEDB88320), independent of the production table.</summary>
    public static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }

        return ~crc;
    }

    public static DecodedPng Decode(Canvas canvas) => Decode(PngEncoder.Encode(canvas));
}
