using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// Writes a <see cref="Canvas"/> as a truecolour PNG: 8-bit RGB, no interlacing, filter type 0 (none) on every row,
/// one zlib-compressed IDAT chunk.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] _signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The PNG file bytes of <paramref name="canvas"/>.</summary>
    public static byte[] Encode(Canvas canvas)
    {
        using var stream = new MemoryStream();
        Write(stream, canvas);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="canvas"/> as PNG to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Canvas canvas)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(canvas);
        stream.Write(_signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), canvas.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour (RGB)
        // bytes 10-12: compression 0 (deflate), filter method 0, interlace 0 (none)
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "IDAT", Compress(canvas));
        WriteChunk(stream, "IEND", []);
    }

    /// <summary>Atomically writes <paramref name="canvas"/> as a PNG file (creating the directory if needed).</summary>
    public static void Save(string path, Canvas canvas)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(canvas);
        AtomicFile.Write(path, (Stream stream) => Write(stream, canvas));
    }

    private static byte[] Compress(Canvas canvas)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var line = new byte[1 + canvas.Width * 3]; // line[0] = 0: filter type "none"
            for (var y = 0; y < canvas.Height; y++)
            {
                canvas.GetRow(y).CopyTo(line.AsSpan(1));
                zlib.Write(line);
            }
        }

        return output.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        var typeBytes = Encoding.ASCII.GetBytes(type);
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(typeBytes);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data)));
        stream.Write(word);
    }
}
