using System.Buffers.Binary;
using System.Numerics;

namespace Wav2Vec2Sharp.Audio.Flac;

/// <summary>Thrown by the FLAC reader when the data ends before a field it must read.</summary>
internal sealed class FlacEndOfDataException() : Exception("unexpected end of FLAC data");

/// <summary>An MSB-first bit reader over a byte array, as FLAC frames need it.</summary>
internal sealed class FlacBitReader
{
    private readonly byte[] _data;
    private readonly long _endBits;
    private long _bitPos;

    public FlacBitReader(byte[] data, int start)
    {
        _data = data;
        _endBits = (long)data.Length * 8;
        _bitPos = (long)start * 8;
    }

    /// <summary>The current position in bytes (rounded down).</summary>
    public int BytePosition => (int)(_bitPos >> 3);

    /// <summary>Whether the position is at a byte boundary.</summary>
    public bool IsByteAligned => (_bitPos & 7) == 0;

    /// <summary>The number of whole bytes left.</summary>
    public long BytesLeft => (_endBits - _bitPos) >> 3;

    /// <summary>Skips to the next byte boundary.</summary>
    public void AlignToByte() => _bitPos = (_bitPos + 7) & ~7L;

    /// <summary>Moves to a byte position.</summary>
    public void Seek(int bytePosition) => _bitPos = (long)bytePosition * 8;

    /// <summary>The next 64 bits from the current position; bits past the end read as zeros.</summary>
    private ulong Peek64()
    {
        int bytePos = (int)(_bitPos >> 3);
        ulong w;
        if (bytePos + 8 <= _data.Length)
        {
            w = BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(bytePos, 8));
        }
        else
        {
            w = 0;
            for (int i = 0; i < 8; i++)
                w = (w << 8) | (bytePos + i < _data.Length ? _data[bytePos + i] : 0UL);
        }
        return w << (int)(_bitPos & 7);
    }

    /// <summary>Reads an unsigned value of <paramref name="n"/> bits (0 to 32).</summary>
    public uint ReadBits(int n)
    {
        if (n == 0)
            return 0;
        if (_bitPos + n > _endBits)
            throw new FlacEndOfDataException();
        uint v = (uint)(Peek64() >> (64 - n));
        _bitPos += n;
        return v;
    }

    /// <summary>Reads an unsigned value of <paramref name="n"/> bits (0 to 36).</summary>
    public ulong ReadBitsLong(int n)
    {
        if (n <= 32)
            return ReadBits(n);
        ulong hi = ReadBits(n - 32);
        return (hi << 32) | ReadBits(32);
    }

    /// <summary>Reads a two's-complement signed value of <paramref name="n"/> bits (0 to 33).</summary>
    public long ReadSigned(int n)
    {
        if (n == 0)
            return 0;
        ulong v = ReadBitsLong(n);
        int shift = 64 - n;
        return (long)(v << shift) >> shift;
    }

    /// <summary>Reads a single bit.</summary>
    public bool ReadBit() => ReadBits(1) != 0;

    /// <summary>Reads a unary-coded value: the number of 0 bits before the next 1 bit, which is consumed.</summary>
    public int ReadUnary()
    {
        int count = 0;
        while (true)
        {
            ulong w = Peek64();
            int lz = BitOperations.LeadingZeroCount(w);
            if (lz < 57)
            {
                if (_bitPos + lz + 1 > _endBits)
                    throw new FlacEndOfDataException();
                _bitPos += lz + 1;
                return count + lz;
            }
            _bitPos += 56;
            count += 56;
            if (_bitPos > _endBits)
                throw new FlacEndOfDataException();
        }
    }

    /// <summary>Reads a Rice-coded signed value with parameter <paramref name="k"/>.</summary>
    public long ReadRice(int k)
    {
        ulong q = (ulong)ReadUnary();
        ulong u = (q << k) | ReadBits(k);
        return (long)(u >> 1) ^ -(long)(u & 1);
    }
}
