using System.Security.Cryptography;
using System.Text;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Text;

public sealed class UnicodeNormalizationTests
{
    [Theory]
    [InlineData("plain ASCII", "plain ASCII")]
    [InlineData("ﬁ①½", "fi11⁄2")]
    [InlineData("e\u0301", "\u00E9")]
    [InlineData("\u212B", "\u00C5")]                         // a singleton decomposition
    [InlineData("a\u0301\u0323", "\u1EA1\u0301")]            // reordered: dot below (220) before acute (230)
    [InlineData("\u1E9B\u0323", "\u1E69")]                   // UAX #15's example
    [InlineData("\u0344", "\u0308\u0301")]                   // a non-starter decomposition is not recomposed
    [InlineData("\u0958", "\u0915\u093C")]                   // a composition exclusion
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]             // conjoining jamo compose into a syllable
    [InlineData("\uFF76\uFF9E", "\u30AC")]                   // half-width katakana and voiced mark
    [InlineData("\u3300", "\u30A2\u30D1\u30FC\u30C8")]
    [InlineData("\U0001D400\U0001D7CE", "A0")]
    [InlineData("\u0301a", "\u0301a")]                       // a leading non-starter stays
    public void Known_cases_match_the_standard(string input, string expected)
    {
        Assert.Equal(expected, UnicodeNormalization.ToNfkc(input));
    }

    [Fact]
    public void Every_code_point_normalises_as_python_unicodedata_14_does()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int c = 0; c < 0x110000; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
                continue;
            hash.AppendData(Encoding.UTF8.GetBytes(UnicodeNormalization.ToNfkc(char.ConvertFromUtf32(c)) + "\n"));
        }

        Assert.Equal("06e7277bca1b5f061a23d4e0caee648a132aee7e3fe7ae21a6f460298c980a11", Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    [Fact]
    public void Random_mark_and_jamo_sequences_normalise_as_python_unicodedata_14_does()
    {
        int[] pool =
        [
            0x61, 0x65, 0x6F, 0x41, 0x55, 0x3B1, 0x3C9, 0x300, 0x301, 0x308, 0x323, 0x327, 0x31B, 0x345, 0x313, 0x5B0, 0x5B4,
            0xF71, 0xF72, 0xF80, 0x3099, 0x309A, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xAC01, 0xFB01, 0x2460, 0xBD, 0x1E9B, 0x344,
            0x958, 0x93C, 0x915, 0x212B, 0xCC6, 0xCC2, 0xCD5, 0xB47, 0xB3E, 0xB57, 0x30AB, 0xFF76, 0xFF9E, 0xA8, 0x340, 0x2126,
            0x1F80, 0x1D400, 0x1D15E, 0x1D165, 0x1D16E, 0x110B9, 0x110BA, 0x3000, 0x2F800, 0x00C5, 0x0107, 0x1E0A, 0x3300,
        ];
        ulong x = 12345;
        ulong Next()
        {
            x = unchecked(x * 6364136223846793005UL + 1442695040888963407UL);
            return x >> 33;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder();
        for (int i = 0; i < 20000; i++)
        {
            text.Clear();
            ulong n = 1 + Next() % 8;
            for (ulong k = 0; k < n; k++)
                text.Append(char.ConvertFromUtf32(pool[Next() % (ulong)pool.Length]));
            hash.AppendData(Encoding.UTF8.GetBytes(UnicodeNormalization.ToNfkc(text.ToString()) + "\n"));
        }

        Assert.Equal("2a1f2a92796b6738dd300f029e540e15a1fcd6439386942cbc4bcdb829edeed3", Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
