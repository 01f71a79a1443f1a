// Why hand-written: ONNX needs only the protobuf wire format's writing half (varints, fixed32, length-delimited
// fields), about a hundred lines; Google.Protobuf plus generated onnx.proto classes would hold the whole model in
// managed objects and copy every weight into ByteStrings. Checked by loading every export in ONNX Runtime.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Wav2Vec2Sharp.Onnx.Protobuf;

/// <summary>
/// A protobuf message being written: scalar fields are encoded into a small buffer, while nested messages and large
/// byte fields are kept by reference, so a model of hundreds of MB is streamed to disk without being copied whole.
/// </summary>
internal sealed class ProtoMessage
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;
    private readonly List<object> _parts = []; // byte[] segments and nested ProtoMessages, in order
    private MemoryStream _scalars = new();
    private long _flushedLength;

    /// <summary>Encoded length in bytes.</summary>
    public long Length => _flushedLength + _scalars.Length;

    public ProtoMessage Int64(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _scalars.Write(bytes);
        return this;
    }

    public ProtoMessage String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A length-delimited field; <paramref name="value"/> is kept by reference and must not change afterwards.</summary>
    public ProtoMessage Bytes(int field, byte[] value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        if (value.Length < 256)
            _scalars.Write(value);
        else
        {
            Flush();
            _parts.Add(value);
            _flushedLength += value.Length;
        }
        return this;
    }

    /// <summary>The little-endian bytes of <paramref name="values"/> as one length-delimited field (ONNX raw_data).</summary>
    public ProtoMessage RawData<T>(int field, ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not.");
        return Bytes(field, MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>A nested message; it must be complete, as its length is written now.</summary>
    public ProtoMessage Message(int field, ProtoMessage message)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)message.Length);
        Flush();
        _parts.Add(message);
        _flushedLength += message.Length;
        return this;
    }

    public void WriteTo(Stream stream)
    {
        foreach (var part in _parts)
        {
            if (part is byte[] bytes)
                stream.Write(bytes);
            else
                ((ProtoMessage)part).WriteTo(stream);
        }
        _scalars.Position = 0;
        _scalars.CopyTo(stream);
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _scalars.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _scalars.WriteByte((byte)value);
    }

    private void Flush()
    {
        if (_scalars.Length == 0)
            return;
        _parts.Add(_scalars.ToArray());
        _flushedLength += _scalars.Length;
        _scalars = new MemoryStream();
    }
}
