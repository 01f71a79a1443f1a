using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>Hashes that are the same in every process and on every platform (unlike <see cref="string.GetHashCode()"/>).</summary>
internal static class StableHash
{
    /// <summary>The first 64 bits of the SHA-256 of <paramref name="text"/> (UTF-8), as a signed integer for RNG keys.</summary>
    public static long Of(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    /// <summary>The first <paramref name="hexDigits"/> lower-case hex digits of the SHA-256 of <paramref name="text"/> (UTF-8).</summary>
    public static string Hex(string text, int hexDigits)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return hex[..hexDigits];
    }
}
