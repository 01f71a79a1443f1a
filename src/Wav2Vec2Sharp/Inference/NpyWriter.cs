using System.Text;

namespace Wav2Vec2Sharp.Inference;

/// <summary>Writes NumPy <c>.npy</c> files (format 1.0, little-endian float32, C order) for external decoders.</summary>
public static class NpyWriter
{
    /// <summary>Writes a <c>[rows, columns]</c> float32 array atomically.</summary>
    public static void WriteFloat32(string path, ReadOnlySpan<float> values, int rows, int columns)
    {
        if (values.Length != (long)rows * columns)
            throw new ArgumentException($"{values.Length} values do not fill [{rows}, {columns}]", nameof(values));
        var data = values.ToArray();
        AtomicFile.Write(path, (Stream stream) =>
        {
            var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
            int total = 10 + header.Length + 1;
            header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n"; // align the data to 64 bytes
            stream.WriteByte(0x93); // magic: \x93 then "NUMPY" (ASCII)
            stream.Write("NUMPY"u8);
            stream.WriteByte(1);
            stream.WriteByte(0);
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
            stream.Write(Encoding.ASCII.GetBytes(header));
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            stream.Write(bytes);
        });
    }
}
