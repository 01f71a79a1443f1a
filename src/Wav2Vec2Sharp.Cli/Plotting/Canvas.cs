namespace Wav2Vec2Sharp.Plotting;

/// <summary>
/// An RGB raster (8 bits per channel, row-major, origin top-left) with simple drawing primitives.
/// Integer coordinates address whole pixels; fractional coordinates (smooth lines, circles) put pixel centres at integers.
/// All drawing is clipped to <see cref="Clip"/>; nothing throws for coordinates outside the canvas.
/// </summary>
public sealed partial class Canvas
{
    private readonly byte[] _pixels;
    private PixelRect _clip;

    /// <summary>Creates a white canvas.</summary>
    public Canvas(int width, int height)
        : this(width, height, Rgb.White)
    {
    }

    /// <summary>Creates a canvas filled with <paramref name="background"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive or the image is too large.</exception>
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} canvas is too large.");
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        _clip = Bounds;
        Clear(background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The whole canvas.</summary>
    public PixelRect Bounds => new(0, 0, Width, Height);

    /// <summary>Drawing outside this rectangle is discarded. Set to <see cref="Bounds"/> to draw everywhere.</summary>
    public PixelRect Clip
    {
        get => _clip;
        set => _clip = value.Intersect(Bounds);
    }

    /// <summary>Runs <paramref name="draw"/> with drawing clipped to <paramref name="area"/> (within the current clip), then restores the clip.</summary>
    public void DrawClipped(PixelRect area, Action draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        var saved = Clip;
        Clip = saved.Intersect(area);
        try
        {
            draw();
        }
        finally
        {
            Clip = saved;
        }
    }

    /// <summary>The colour of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pixel is outside the canvas.</exception>
    public Rgb GetPixel(int x, int y)
    {
        if (!Bounds.Contains(x, y))
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}x{Height} canvas.");
        var i = (y * Width + x) * 3;
        return new(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    /// <summary>Sets one pixel (ignored outside <see cref="Clip"/>).</summary>
    public void SetPixel(int x, int y, Rgb color)
    {
        if (!_clip.Contains(x, y))
            return;
        var i = (y * Width + x) * 3;
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    /// <summary>Paints <paramref name="color"/> over one pixel with the given opacity (0 = no change, 1 = replace).</summary>
    public void BlendPixel(int x, int y, Rgb color, double alpha)
    {
        if (alpha <= 0 || !_clip.Contains(x, y))
            return;
        if (alpha >= 1)
        {
            SetPixel(x, y, color);
            return;
        }

        SetPixel(x, y, GetPixel(x, y).Lerp(color, alpha));
    }

    /// <summary>Fills the whole canvas, ignoring <see cref="Clip"/>.</summary>
    public void Clear(Rgb color)
    {
        var saved = _clip;
        _clip = Bounds;
        FillRect(Bounds, color);
        _clip = saved;
    }

    /// <summary>Fills a rectangle.</summary>
    public void FillRect(int x, int y, int width, int height, Rgb color) => FillRect(new PixelRect(x, y, width, height), color);

    /// <summary>Fills a rectangle.</summary>
    public void FillRect(PixelRect rect, Rgb color)
    {
        var r = rect.Intersect(_clip);
        if (r.IsEmpty)
            return;
        Span<byte> rgb = [color.R, color.G, color.B];
        for (var y = r.Y; y < r.Bottom; y++)
        {
            var row = _pixels.AsSpan((y * Width + r.X) * 3, r.Width * 3);
            for (var i = 0; i < row.Length; i += 3)
                rgb.CopyTo(row[i..]);
        }
    }

    /// <summary>Draws the outline of a rectangle, <paramref name="thickness"/> pixels wide, inside its bounds.</summary>
    public void DrawRect(PixelRect rect, Rgb color, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thickness);
        var t = Math.Min(thickness, Math.Min(rect.Width, rect.Height));
        if (t <= 0)
            return;
        FillRect(rect.X, rect.Y, rect.Width, t, color);
        FillRect(rect.X, rect.Bottom - t, rect.Width, t, color);
        FillRect(rect.X, rect.Y, t, rect.Height, color);
        FillRect(rect.Right - t, rect.Y, t, rect.Height, color);
    }

    /// <summary>Row <paramref name="y"/> as packed RGB bytes.</summary>
    internal ReadOnlySpan<byte> GetRow(int y) => _pixels.AsSpan(y * Width * 3, Width * 3);
}
