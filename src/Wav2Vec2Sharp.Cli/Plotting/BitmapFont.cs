namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// The embedded 5x7 bitmap font (printable ASCII 32-126) with two descender rows for g, j, p, q, y and the comma.
/// Each glyph occupies a 5x9 cell; glyphs advance by 6 pixels so one blank column separates characters.
/// Characters outside the range render as '?'.
/// </summary>
public static class BitmapFont
{
    /// <summary>Width of a glyph's ink box in pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Height of capitals and digits in pixels (rows 0-6 of the cell; row 6 is the baseline row).</summary>
    public const int CapHeight = 7;

    /// <summary>Rows below the baseline used by descenders.</summary>
    public const int Descent = 2;

    /// <summary>Total cell height, <see cref="CapHeight"/> + <see cref="Descent"/>.</summary>
    public const int CellHeight = CapHeight + Descent;

    /// <summary>Horizontal distance between consecutive characters.</summary>
    public const int Advance = GlyphWidth + 1;

    private const char First = ' ';
    private const char Last = '~';

    // Nine rows per glyph, top to bottom; each row is one base-32 digit (0-9, A-V) whose bit 4 is the left column.
    private const string Glyphs =
        "000000000444440400AAA000000AAVAVAA004FKE5U400OP248J300CIK8LID00448000000" + //  !"#$%&'
        "24888420084222480004LEL4000044V4400000000CC48000V0000000000CC0011248GG00" + // ()*+,-./
        "EHHHHHE004C4444E00EH1248V00EH161HE0026AIV2200VGU11HE0068GUHHE00V12488800" + // 01234567
        "EHHEHHE00EHHF12C000CC00CC000CC00CC48248G8420000V0V0000842124800EH1240400" + // 89:;<=>?
        "EHNLNGF00EHHVHHH00UHHUHHU00EHGGGHE00UHHHHHU00VGGUGGV00VGGUGGG00EHGNHHF00" + // @ABCDEFG
        "HHHVHHH00E44444E0072222IC00HIKOKIH00GGGGGGV00HRLLHHH00HHPLJHH00EHHHHHE00" + // HIJKLMNO
        "UHHUGGG00EHHHLID00UHHUKIH00FGGE11U00V44444400HHHHHHE00HHHHHA400HHHLLLA00" + // PQRSTUVW
        "HHA4AHH00HHA444400V1248GV00E88888E00GG8421100E22222E004AH0000000000000V0" + // XYZ[\]^_
        "84000000000E1FHF00GGUHHHU0000FGGGF0011FHHHF0000EHVGE00698S8880000FHHHF1E" + // `abcdefg
        "GGMPHHH0040C444E002062222ICGGIKOKI00C44444E0000QLLLL0000MPHHH0000EHHHE00" + // hijklmno
        "00UHHHUGG00FHHHF1100MPGGG0000FGE1U0088S88960000HHHJD0000HHHA40000HHLLA00" + // pqrstuvw
        "00HA4AH0000HHHHF1E00V248V00344O44300444444440O44344O00008L20000"; // xyz{|}~

    private static readonly byte[] _rows = Decode();

    /// <summary>Whether <paramref name="c"/> has its own glyph (printable ASCII).</summary>
    public static bool Supports(char c) => c >= First && c <= Last;

    /// <summary>Whether the glyph of <paramref name="c"/> has ink at (<paramref name="column"/>, <paramref name="row"/>) of its cell.</summary>
    public static bool IsInk(char c, int column, int row)
    {
        if ((uint)column >= GlyphWidth || (uint)row >= CellHeight)
            return false;
        var glyph = Supports(c) ? c - First : '?' - First;
        return ((_rows[glyph * CellHeight + row] >> (GlyphWidth - 1 - column)) & 1) != 0;
    }

    /// <summary>Width in pixels of <paramref name="text"/> drawn at <paramref name="scale"/> (no trailing gap).</summary>
    public static int MeasureWidth(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;
    }

    private static byte[] Decode()
    {
        var rows = new byte[Glyphs.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var d = Glyphs[i];
            rows[i] = (byte)(d <= '9' ? d - '0' : d - 'A' + 10);
        }

        return rows;
    }
}
