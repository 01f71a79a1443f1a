namespace Wav2Vec2Sharp.Plotting;

/// <summary>Rendering and saving for any <see cref="IChart"/>.</summary>
public static class ChartExtensions
{
    /// <summary>Default image width for a single chart.</summary>
    public const int DefaultWidth = 800;

    /// <summary>Default image height for a single chart.</summary>
    public const int DefaultHeight = 500;

    /// <summary>Renders <paramref name="chart"/> onto a new white canvas of the given size.</summary>
    public static Canvas Render(this IChart chart, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var canvas = new Canvas(width, height, Palette.Background);
        chart.Draw(canvas, canvas.Bounds);
        return canvas;
    }

    /// <summary>Renders <paramref name="chart"/> and atomically writes it as a PNG file.</summary>
    public static void Save(this IChart chart, string path, int width = DefaultWidth, int height = DefaultHeight) =>
        PngEncoder.Save(path, chart.Render(width, height));
}
