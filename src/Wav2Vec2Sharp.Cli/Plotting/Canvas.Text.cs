namespace Wav2Vec2Sharp.Plotting;

public sealed partial class Canvas
{
    /// <summary>
    /// Draws <paramref name="text"/> in the embedded <see cref="BitmapFont"/>, each font pixel becoming a
    /// <paramref name="scale"/> x <paramref name="scale"/> block. (<paramref name="x"/>, <paramref name="y"/>) is the
    /// top-left corner of the first glyph's cell; capitals occupy <c>CapHeight * scale</c> rows from there.
    /// </summary>
    /// <returns>The width of the drawn text in pixels.</returns>
    public int DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        for (var i = 0; i < text.Length; i++)
        {
            var left = x + i * BitmapFont.Advance * scale;
            for (var row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsInk(text[i], column, row))
                        FillRect(left + column * scale, y + row * scale, scale, scale, color);
                }
            }
        }

        return BitmapFont.MeasureWidth(text, scale);
    }

    /// <summary>
    /// Draws <paramref name="text"/> rotated 90 degrees counter-clockwise (reading bottom to top), as used for a
    /// y-axis label. (<paramref name="x"/>, <paramref name="y"/>) is the top-left corner of the rotated text's box, which is
    /// <c>CellHeight * scale</c> wide and <see cref="BitmapFont.MeasureWidth"/> tall; the glyph tops face left.
    /// </summary>
    /// <returns>The height of the drawn text in pixels.</returns>
    public int DrawTextVertical(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var height = BitmapFont.MeasureWidth(text, scale);
        for (var i = 0; i < text.Length; i++)
        {
            for (var row = 0; row < BitmapFont.CellHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (!BitmapFont.IsInk(text[i], column, row))
                        continue;
                    var along = i * BitmapFont.Advance + column;
                    FillRect(x + row * scale, y + height - (along + 1) * scale, scale, scale, color);
                }
            }
        }

        return height;
    }
}
