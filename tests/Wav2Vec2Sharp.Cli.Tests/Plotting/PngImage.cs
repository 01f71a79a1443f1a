using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Wav2Vec2Sharp.Tests.Plotting;

/// <summary>
/// A PNG file as the tests see it: the signature and the IHDR size are read from the bytes themselves, the pixels are
/// decoded with SkiaSharp and must agree with that size.
/// </summary>
internal sealed class PngImage
{
    private static readonly byte[] _signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private readonly SKColor[] _pixels;

    private PngImage(int width, int height, SKColor[] pixels)
    {
        (Width, Height, _pixels) = (width, height, pixels);
    }

    public int Width { get; }

    public int Height { get; }

    public SKColor this[int x, int y] => _pixels[y * Width + x];

    public static PngImage Read(string path) => Read(File.ReadAllBytes(path));

    public static PngImage Read(byte[] file)
    {
        Assert.True(file.Length > 33, $"{file.Length} bytes is too short for a PNG");
        Assert.Equal(_signature, file[..8]);
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(8))); // IHDR is the first chunk, 13 bytes long
        Assert.Equal("IHDR", Encoding.ASCII.GetString(file, 12, 4));
        var width = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(20));
        Assert.Equal("IEND", Encoding.ASCII.GetString(file, file.Length - 8, 4));

        using var bitmap = SKBitmap.Decode(file);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        return new PngImage(width, height, bitmap.Pixels);
    }

    /// <summary>Pixels in the rectangle whose colour is within <paramref name="tolerance"/> (sum of channel differences) of <paramref name="color"/>.</summary>
    public int Count(ScottPlot.Color color, int tolerance = 30, int x0 = 0, int y0 = 0, int? x1 = null, int? y1 = null)
    {
        var count = 0;
        for (var y = y0; y < (y1 ?? Height); y++)
        {
            for (var x = x0; x < (x1 ?? Width); x++)
            {
                var p = this[x, y];
                if (Math.Abs(p.Red - color.R) + Math.Abs(p.Green - color.G) + Math.Abs(p.Blue - color.B) <= tolerance)
                    count++;
            }
        }

        return count;
    }
}
