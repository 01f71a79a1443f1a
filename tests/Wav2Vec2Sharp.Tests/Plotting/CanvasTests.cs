using Wav2Vec2Sharp.Plotting;

namespace Wav2Vec2Sharp.Tests.Plotting;

public sealed class CanvasTests
{
    private static readonly Rgb _ink = new(200, 10, 10);

    [Fact]
    public void NewCanvas_IsFilledWithTheBackground()
    {
        var canvas = new Canvas(4, 3, new Rgb(1, 2, 3));

        Assert.Equal(new Rgb(1, 2, 3), canvas.GetPixel(0, 0));
        Assert.Equal(new Rgb(1, 2, 3), canvas.GetPixel(3, 2));
        Assert.Equal(Rgb.White, new Canvas(2, 2).GetPixel(1, 1));
    }

    [Fact]
    public void DrawingOutsideTheCanvasOrClip_IsIgnored()
    {
        var canvas = new Canvas(10, 10);
        canvas.SetPixel(-1, 5, _ink);
        canvas.SetPixel(10, 5, _ink);
        canvas.FillRect(-5, -5, 7, 7, _ink); // covers (0..1, 0..1) only
        canvas.DrawLine(-20, 9, 40, 9, _ink);
        canvas.Clip = new PixelRect(5, 5, 100, 100);
        canvas.FillRect(0, 0, 6, 6, Rgb.Black); // only (5, 5) is inside the clip

        Assert.Equal(4 + 10, Count(canvas, _ink));
        Assert.Equal(1, Count(canvas, Rgb.Black));
        Assert.Equal(new PixelRect(5, 5, 5, 5), canvas.Clip);
        Assert.Throws<ArgumentOutOfRangeException>(() => canvas.GetPixel(10, 0));
    }

    [Fact]
    public void ThickHorizontalLine_CoversExactlyThatManyRows()
    {
        var canvas = new Canvas(20, 20);

        canvas.DrawLine(2, 10, 17, 10, _ink, thickness: 3);

        Assert.Equal(18 * 3, Count(canvas, _ink)); // the square brush reaches one pixel past each end
        Assert.Equal(_ink, canvas.GetPixel(1, 9));
        Assert.Equal(_ink, canvas.GetPixel(18, 11));
        Assert.Equal(Rgb.White, canvas.GetPixel(0, 10));
        Assert.Equal(Rgb.White, canvas.GetPixel(10, 8));
        Assert.Equal(Rgb.White, canvas.GetPixel(10, 12));
    }

    [Fact]
    public void DiagonalLine_IsConnectedWithOnePixelPerColumn()
    {
        var canvas = new Canvas(20, 20);

        canvas.DrawLine(0, 0, 10, 4, _ink);

        Assert.Equal(11, Count(canvas, _ink));
        Assert.Equal(_ink, canvas.GetPixel(0, 0));
        Assert.Equal(_ink, canvas.GetPixel(10, 4));
        for (var x = 0; x <= 10; x++)
            Assert.Equal(1, Enumerable.Range(0, 20).Count(y => canvas.GetPixel(x, y) == _ink));
    }

    [Fact]
    public void SmoothHorizontalLine_IsSolidOnItsRowAndFadesOut()
    {
        var canvas = new Canvas(40, 20);

        canvas.DrawSmoothLine(5, 10, 35, 10, _ink, width: 2);

        Assert.Equal(_ink, canvas.GetPixel(20, 10));
        Assert.NotEqual(Rgb.White, canvas.GetPixel(20, 9)); // half-covered neighbour
        Assert.Equal(Rgb.White, canvas.GetPixel(20, 12));
        Assert.Equal(Rgb.White, canvas.GetPixel(38, 10));
    }

    [Fact]
    public void Text_DrawsGlyphInkWhereTheFontHasIt()
    {
        var canvas = new Canvas(40, 30);

        var width = canvas.DrawText(10, 10, "T", Rgb.Black);

        Assert.Equal(5, width);
        for (var x = 10; x < 15; x++)
            Assert.Equal(Rgb.Black, canvas.GetPixel(x, 10)); // the bar of the T
        for (var y = 11; y < 17; y++)
            Assert.Equal(Rgb.Black, canvas.GetPixel(12, y)); // its stem
        Assert.Equal(Rgb.White, canvas.GetPixel(10, 16));
        Assert.Equal(Rgb.White, canvas.GetPixel(12, 17));
        Assert.Equal(5 + 6, Count(canvas, Rgb.Black));
    }

    [Fact]
    public void ScaledText_DrawsBlocks()
    {
        var canvas = new Canvas(40, 30);

        var width = canvas.DrawText(2, 3, "T.", Rgb.Black, scale: 2);

        Assert.Equal((2 * 6 - 1) * 2, width);
        Assert.Equal(4 * (5 + 6) + 4 * 4, Count(canvas, Rgb.Black));
        Assert.Equal(Rgb.Black, canvas.GetPixel(11, 4));
        Assert.Equal(Rgb.Black, canvas.GetPixel(6, 16));
        Assert.Equal(Rgb.White, canvas.GetPixel(4, 16));
    }

    [Fact]
    public void VerticalText_ReadsBottomToTopWithGlyphTopsFacingLeft()
    {
        var canvas = new Canvas(30, 30);

        var height = canvas.DrawTextVertical(5, 5, "T", Rgb.Black);

        Assert.Equal(5, height);
        for (var y = 5; y < 10; y++)
            Assert.Equal(Rgb.Black, canvas.GetPixel(5, y)); // the bar of the T is now the left column
        for (var x = 6; x < 12; x++)
            Assert.Equal(Rgb.Black, canvas.GetPixel(x, 7)); // the stem runs to the right
        Assert.Equal(11, Count(canvas, Rgb.Black));
    }

    [Fact]
    public void Font_CoversPrintableAscii()
    {
        static int Ink(char c) =>
            Enumerable.Range(0, BitmapFont.CellHeight).Sum(r => Enumerable.Range(0, BitmapFont.GlyphWidth).Count(col => BitmapFont.IsInk(c, col, r)));

        Assert.Equal(0, Ink(' '));
        for (var c = '!'; c <= '~'; c++)
            Assert.True(Ink(c) > 0, $"'{c}' has no glyph");
        Assert.Equal(Ink('?'), Ink('\u00e9'));
        Assert.True(BitmapFont.IsInk('g', 1, 8)); // descender
        Assert.Equal(6 * 5 - 1, BitmapFont.MeasureWidth("hello"));
        Assert.Equal(0, BitmapFont.MeasureWidth(""));
    }

    internal static int Count(Canvas canvas, Rgb color)
    {
        var count = 0;
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                if (canvas.GetPixel(x, y) == color)
                    count++;
            }
        }

        return count;
    }
}
