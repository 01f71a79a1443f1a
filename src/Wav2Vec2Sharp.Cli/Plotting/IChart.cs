namespace Wav2Vec2Sharp.Plotting;

/// <summary>A chart that can draw itself into a rectangle of a <see cref="Canvas"/>.</summary>
public interface IChart
{
    /// <summary>The chart's title (may be empty).</summary>
    string Title { get; }

    /// <summary>Draws the whole chart (background, axes, data, labels) inside <paramref name="area"/>.</summary>
    void Draw(Canvas canvas, PixelRect area);
}
