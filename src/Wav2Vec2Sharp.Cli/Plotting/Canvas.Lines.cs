namespace Wav2Vec2Sharp.Plotting;

public sealed partial class Canvas
{
    /// <summary>
    /// Draws a crisp (aliased) Bresenham line between pixel centres with a square brush
    /// <paramref name="thickness"/> pixels wide centred on the line, so the ends reach about half the thickness past
    /// the endpoints; horizontal and vertical lines cover exactly that many rows or columns.
    /// </summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thickness);
        var offset = -(thickness - 1) / 2;
        if (x0 == x1 || y0 == y1)
        {
            FillRect(Math.Min(x0, x1) + offset, Math.Min(y0, y1) + offset,
                Math.Abs(x1 - x0) + thickness, Math.Abs(y1 - y0) + thickness, color);
            return;
        }

        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        var err = dx + dy;
        while (true)
        {
            if (thickness == 1)
                SetPixel(x0, y0, color);
            else
                FillRect(x0 + offset, y0 + offset, thickness, thickness, color);
            if (x0 == x1 && y0 == y1)
                return;
            var e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Draws an anti-aliased line <paramref name="width"/> pixels wide with round ends.</summary>
    public void DrawSmoothLine(double x0, double y0, double x1, double y1, Rgb color, double width = 1.5) =>
        DrawPolyline([(x0, y0), (x1, y1)], color, width);

    /// <summary>
    /// Draws an anti-aliased polyline <paramref name="width"/> pixels wide with round joins and ends. Each pixel is
    /// blended once with its largest coverage, so dense or self-overlapping curves keep clean edges.
    /// A single point draws a dot.
    /// </summary>
    public void DrawPolyline(IReadOnlyList<(double X, double Y)> points, Rgb color, double width = 1.5)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0 || !(width > 0))
            return;
        var radius = width / 2;
        var box = BoundingBox(points, radius + 1).Intersect(_clip);
        if (box.IsEmpty)
            return;
        var coverage = new float[box.Width * box.Height];
        if (points.Count == 1)
            Accumulate(coverage, box, points[0], points[0], radius);
        for (var i = 1; i < points.Count; i++)
            Accumulate(coverage, box, points[i - 1], points[i], radius);
        for (var y = 0; y < box.Height; y++)
        {
            for (var x = 0; x < box.Width; x++)
                BlendPixel(box.X + x, box.Y + y, color, coverage[y * box.Width + x]);
        }
    }

    /// <summary>Fills an anti-aliased disc centred on (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public void FillCircle(double cx, double cy, double radius, Rgb color) =>
        DrawPolyline([(cx, cy)], color, 2 * radius);

    private static PixelRect BoundingBox(IReadOnlyList<(double X, double Y)> points, double pad)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (x, y) in points)
        {
            minX = Math.Min(minX, x);
            minY = Math.Min(minY, y);
            maxX = Math.Max(maxX, x);
            maxY = Math.Max(maxY, y);
        }

        // Clamp before converting so that far off-canvas points cannot overflow int.
        const double limit = 1 << 28;
        var x0 = (int)Math.Floor(Math.Clamp(minX - pad, -limit, limit));
        var y0 = (int)Math.Floor(Math.Clamp(minY - pad, -limit, limit));
        var x1 = (int)Math.Ceiling(Math.Clamp(maxX + pad, -limit, limit));
        var y1 = (int)Math.Ceiling(Math.Clamp(maxY + pad, -limit, limit));
        return new(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static void Accumulate(float[] coverage, PixelRect box, (double X, double Y) a, (double X, double Y) b, double radius)
    {
        var segment = BoundingBox([a, b], radius + 1).Intersect(box);
        double dx = b.X - a.X, dy = b.Y - a.Y;
        var lengthSquared = dx * dx + dy * dy;
        for (var y = segment.Y; y < segment.Bottom; y++)
        {
            for (var x = segment.X; x < segment.Right; x++)
            {
                var t = lengthSquared == 0 ? 0 : Math.Clamp(((x - a.X) * dx + (y - a.Y) * dy) / lengthSquared, 0, 1);
                var distance = Math.Sqrt(Square(x - (a.X + t * dx)) + Square(y - (a.Y + t * dy)));
                var c = (float)Math.Clamp(radius + 0.5 - distance, 0, 1);
                var index = (y - box.Y) * box.Width + (x - box.X);
                if (c > coverage[index])
                    coverage[index] = c;
            }
        }
    }

    private static double Square(double v) => v * v;
}
