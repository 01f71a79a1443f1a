namespace Wav2Vec2Sharp.Plotting;

/// <summary>An axis-aligned rectangle of whole pixels: columns <c>X..X+Width-1</c>, rows <c>Y..Y+Height-1</c>.</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>One past the right-most column.</summary>
    public int Right => X + Width;

    /// <summary>One past the bottom row.</summary>
    public int Bottom => Y + Height;

    /// <summary>True when the rectangle covers no pixel.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) lies inside.</summary>
    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    /// <summary>The overlap of two rectangles (empty when they do not meet).</summary>
    public PixelRect Intersect(PixelRect other)
    {
        var x0 = Math.Max(X, other.X);
        var y0 = Math.Max(Y, other.Y);
        var x1 = Math.Min(Right, other.Right);
        var y1 = Math.Min(Bottom, other.Bottom);
        return new(x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }

    /// <summary>The rectangle shrunk by <paramref name="amount"/> pixels on every side.</summary>
    public PixelRect Inset(int amount) => new(X + amount, Y + amount, Width - 2 * amount, Height - 2 * amount);
}
