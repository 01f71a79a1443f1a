using System.Buffers.Binary;
using System.Text;

namespace Wav2Vec2Sharp.Audio.Webm;

/// <summary>
/// An EBML element header: the ID as the Matroska specification writes it (length marker kept, e.g. <c>0x1A45DFA3</c>),
/// where the header starts, where the data starts, and the data's size (<see cref="EbmlReader.UnknownSize"/> for the
/// "unknown size" of live recordings' Segment and Cluster).
/// </summary>
internal readonly record struct EbmlElement(uint Id, int Start, int DataStart, long Size)
{
    public bool HasUnknownSize => Size == EbmlReader.UnknownSize;

    /// <summary>The offset just past the data; only meaningful when the size is known.</summary>
    public long DataEnd => DataStart + Size;
}

/// <summary>What reading an element header found.</summary>
internal enum EbmlHeaderRead
{
    /// <summary>A complete header (its data may still run past the end of the file).</summary>
    Ok,

    /// <summary>The file ends inside the header.</summary>
    EndOfData,

    /// <summary>The bytes are no EBML header: a zero first byte, or an ID longer than 4 bytes.</summary>
    Invalid,
}

/// <summary>
/// The small part of EBML (RFC 8794) that WebM audio needs: variable-length IDs and sizes, and unsigned, signed, float,
/// string and binary element data, over a whole file in memory.
/// </summary>
internal sealed class EbmlReader(byte[] data)
{
    /// <summary>The size of an element whose size field is all ones: it ends where an element that cannot be its child starts.</summary>
    public const long UnknownSize = -1;

    public byte[] Data => data;

    public int Length => data.Length;

    /// <summary>Reads the element header at <paramref name="offset"/>.</summary>
    public EbmlHeaderRead TryReadHeader(int offset, out EbmlElement element)
    {
        element = default;
        var id = ReadVint(data.AsSpan(offset), maxLength: 4, out ulong idValue, out int idLength, keepMarker: true);
        if (id != EbmlHeaderRead.Ok)
            return id;
        var size = ReadVint(data.AsSpan(offset + idLength), maxLength: 8, out ulong sizeValue, out int sizeLength, keepMarker: false);
        if (size != EbmlHeaderRead.Ok)
            return size;
        bool unknown = sizeValue == (1UL << (7 * sizeLength)) - 1; // all value bits set
        element = new EbmlElement((uint)idValue, offset, offset + idLength + sizeLength, unknown ? UnknownSize : (long)sizeValue);
        return EbmlHeaderRead.Ok;
    }

    /// <summary>
    /// Reads a variable-length integer: the count of leading zero bits of the first byte gives its length (1 to
    /// <paramref name="maxLength"/> bytes); <paramref name="keepMarker"/> keeps the length marker bit, as element IDs are written.
    /// </summary>
    public static EbmlHeaderRead ReadVint(ReadOnlySpan<byte> bytes, int maxLength, out ulong value, out int length, bool keepMarker = false)
    {
        value = 0;
        length = 0;
        if (bytes.IsEmpty)
            return EbmlHeaderRead.EndOfData;
        if (bytes[0] == 0)
            return EbmlHeaderRead.Invalid;
        length = System.Numerics.BitOperations.LeadingZeroCount((uint)bytes[0]) - 23;
        if (length > maxLength)
            return EbmlHeaderRead.Invalid;
        if (bytes.Length < length)
            return EbmlHeaderRead.EndOfData;
        value = keepMarker ? bytes[0] : (ulong)(bytes[0] & (0xFF >> length));
        for (int i = 1; i < length; i++)
            value = value << 8 | bytes[i];
        return EbmlHeaderRead.Ok;
    }

    /// <summary>The element's data (its size must be known and within the file).</summary>
    public ReadOnlySpan<byte> Bytes(EbmlElement element) => data.AsSpan(element.DataStart, (int)element.Size);

    /// <summary>An unsigned integer element (0 to 8 bytes, big-endian; empty is 0), or null when it is longer.</summary>
    public ulong? UInt(EbmlElement element)
    {
        if (element.Size > 8)
            return null;
        ulong value = 0;
        foreach (byte b in Bytes(element))
            value = value << 8 | b;
        return value;
    }

    /// <summary>A signed integer element (0 to 8 bytes, big-endian two's complement), or null when it is longer.</summary>
    public long? Int(EbmlElement element)
    {
        if (element.Size > 8)
            return null;
        if (element.Size == 0)
            return 0;
        int shift = 64 - 8 * (int)element.Size; // sign-extend from the element's top bit
        return (long)(UInt(element)!.Value << shift) >> shift;
    }

    /// <summary>A float element (0, 4 or 8 bytes), or null for another size.</summary>
    public double? Float(EbmlElement element) => element.Size switch
    {
        0 => 0,
        4 => BinaryPrimitives.ReadSingleBigEndian(Bytes(element)),
        8 => BinaryPrimitives.ReadDoubleBigEndian(Bytes(element)),
        _ => null,
    };

    /// <summary>A string element: printable ASCII, the zero padding at the end dropped, other bytes shown as '?'.</summary>
    public string String(EbmlElement element)
    {
        var bytes = Bytes(element);
        int end = bytes.IndexOf((byte)0);
        var text = new StringBuilder();
        foreach (byte b in end >= 0 ? bytes[..end] : bytes)
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        return text.ToString();
    }
}
