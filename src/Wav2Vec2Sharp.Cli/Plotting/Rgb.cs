namespace Wav2Vec2Sharp.Plotting;

/// <summary>An opaque 24-bit colour.</summary>
/// <param name="R">Red, 0-255.</param>
/// <param name="G">Green, 0-255.</param>
/// <param name="B">Blue, 0-255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Pure white (the default chart background).</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Pure black.</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>Parses <c>#rrggbb</c> or <c>rrggbb</c>.</summary>
    /// <exception cref="FormatException">The text is not six hexadecimal digits.</exception>
    public static Rgb FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith('#') ? hex[1..] : hex;
        if (digits.Length != 6 || !uint.TryParse(digits, System.Globalization.NumberStyles.HexNumber, null, out var value))
            throw new FormatException($"Expected a colour as #rrggbb, got '{hex}'.");
        return new((byte)(value >> 16), (byte)(value >> 8), (byte)value);
    }

    /// <summary>Linear interpolation towards <paramref name="other"/>: 0 gives this colour, 1 gives <paramref name="other"/>.</summary>
    public Rgb Lerp(Rgb other, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new(Mix(R, other.R, t), Mix(G, other.G, t), Mix(B, other.B, t));
    }

    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";

    private static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);
}
