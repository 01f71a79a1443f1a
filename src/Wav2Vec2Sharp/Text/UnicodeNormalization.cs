using System.IO.Compression;
using System.Text;

namespace Wav2Vec2Sharp.Text;

/// <summary>
/// Unicode normalisation form KC (compatibility decomposition, canonical reordering, canonical composition; UAX #15),
/// implemented here from packed tables (<see cref="UnicodeNormalizationData"/>) so that it works the same in
/// globalization-invariant mode, where <see cref="string.Normalize(NormalizationForm)"/> does nothing, and on every platform.
/// </summary>
/// <remarks>Our own because .NET's normaliser needs ICU, which invariant globalization (used here for reproducible text
/// handling on every host) turns off, and no maintained managed NFKC package exists on NuGet.</remarks>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>The NFKC form of <paramref name="text"/>; a lone surrogate is kept as it is.</summary>
    public static string ToNfkc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
            return text;
        var buffer = new List<int>(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                c = char.ConvertToUtf32(text[i], text[++i]);
            Decompose(c, buffer);
        }
        Reorder(buffer);
        Compose(buffer);
        var result = new StringBuilder(buffer.Count);
        foreach (int c in buffer)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
                result.Append((char)c);
            else
                result.Append(char.ConvertFromUtf32(c));
        }
        return result.ToString();
    }

    private static void Decompose(int c, List<int> output)
    {
        if (c is >= SBase and < SBase + SCount)
        {
            int s = c - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
                output.Add(TBase + s % TCount);
        }
        else if (Tables.Decompositions.TryGetValue(c, out var mapping))
            output.AddRange(mapping);
        else
            output.Add(c);
    }

    /// <summary>Sorts each run of non-starters by combining class, keeping the order of equal classes.</summary>
    private static void Reorder(List<int> buffer)
    {
        for (int i = 1; i < buffer.Count; i++)
        {
            int c = buffer[i];
            int cc = CombiningClass(c);
            if (cc == 0)
                continue;
            int j = i;
            while (j > 0 && CombiningClass(buffer[j - 1]) > cc)
            {
                buffer[j] = buffer[j - 1];
                j--;
            }
            buffer[j] = c;
        }
    }

    /// <summary>Canonical composition, as in the sample code of UAX #15.</summary>
    private static void Compose(List<int> buffer)
    {
        if (buffer.Count == 0)
            return;
        int starterPos = 0;
        int starter = buffer[0];
        int lastClass = CombiningClass(starter) == 0 ? 0 : 256;
        int write = 1;
        for (int read = 1; read < buffer.Count; read++)
        {
            int c = buffer[read];
            int cc = CombiningClass(c);
            int composite = ComposePair(starter, c);
            if (composite >= 0 && (lastClass < cc || lastClass == 0))
            {
                buffer[starterPos] = composite;
                starter = composite;
                continue;
            }
            if (cc == 0)
            {
                starterPos = write;
                starter = c;
            }
            lastClass = cc;
            buffer[write++] = c;
        }
        buffer.RemoveRange(write, buffer.Count - write);
    }

    private static int ComposePair(int first, int second)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
            return first + (second - TBase);
        return Tables.Compositions.GetValueOrDefault(Key(first, second), -1);
    }

    private static int CombiningClass(int c) => c < 0x300 ? 0 : Tables.CombiningClasses.GetValueOrDefault(c);

    private static long Key(int first, int second) => ((long)first << 21) | (uint)second;

    /// <summary>The unpacked tables, read on first use.</summary>
    private static class Tables
    {
        public static readonly Dictionary<int, byte> CombiningClasses = [];
        public static readonly Dictionary<int, int[]> Decompositions = [];
        public static readonly Dictionary<long, int> Compositions = [];

        static Tables()
        {
            using var inflated = new DeflateStream(new MemoryStream(Convert.FromBase64String(UnicodeNormalizationData.Blob)), CompressionMode.Decompress);
            using var data = new MemoryStream();
            inflated.CopyTo(data);
            var bytes = data.ToArray();
            int position = 0;
            int key = 0;
            for (int n = ReadVarint(bytes, ref position), k = 0; k < n; k++)
            {
                key += ReadVarint(bytes, ref position);
                CombiningClasses[key] = bytes[position++];
            }
            key = 0;
            for (int n = ReadVarint(bytes, ref position), k = 0; k < n; k++)
            {
                key += ReadVarint(bytes, ref position);
                var mapping = new int[ReadVarint(bytes, ref position)];
                for (int m = 0; m < mapping.Length; m++)
                    mapping[m] = ReadVarint(bytes, ref position);
                Decompositions[key] = mapping;
            }
            key = 0;
            for (int n = ReadVarint(bytes, ref position), k = 0; k < n; k++)
            {
                key += ReadVarint(bytes, ref position);
                int first = ReadVarint(bytes, ref position);
                Compositions[Key(first, ReadVarint(bytes, ref position))] = key;
            }
        }

        private static int ReadVarint(byte[] bytes, ref int position)
        {
            int value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = bytes[position++];
                value |= (b & 0x7F) << shift;
                if (b < 0x80)
                    return value;
            }
        }
    }
}
