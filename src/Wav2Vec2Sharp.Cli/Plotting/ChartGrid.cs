namespace Wav2Vec2Sharp.Plotting;

/// <summary>Lays several charts out in a grid of equal panels (row by row) in one image.</summary>
public static class ChartGrid
{
    /// <summary>Default panel width.</summary>
    public const int DefaultPanelWidth = 640;

    /// <summary>Default panel height.</summary>
    public const int DefaultPanelHeight = 420;

    /// <summary>
    /// Renders <paramref name="charts"/> into <paramref name="columns"/> columns of
    /// <paramref name="panelWidth"/> x <paramref name="panelHeight"/> panels; unused panels of the last row stay blank.
    /// </summary>
    /// <exception cref="ArgumentException">No charts were given, or a size is not positive.</exception>
    public static Canvas Render(int columns, int panelWidth, int panelHeight, params IChart[] charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (charts.Length == 0)
            throw new ArgumentException("A chart grid needs at least one chart.", nameof(charts));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(panelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(panelHeight);
        columns = Math.Min(columns, charts.Length);
        var rows = (charts.Length + columns - 1) / columns;
        var canvas = new Canvas(columns * panelWidth, rows * panelHeight, Palette.Background);
        for (var i = 0; i < charts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(charts[i], nameof(charts));
            charts[i].Draw(canvas, new PixelRect(i % columns * panelWidth, i / columns * panelHeight, panelWidth, panelHeight));
        }

        return canvas;
    }

    /// <summary>Renders <paramref name="charts"/> in <paramref name="columns"/> columns of default-sized panels and atomically saves a PNG.</summary>
    public static void Save(string path, int columns, params IChart[] charts) =>
        Save(path, columns, DefaultPanelWidth, DefaultPanelHeight, charts);

    /// <summary>Renders <paramref name="charts"/> in <paramref name="columns"/> columns of the given panel size and atomically saves a PNG.</summary>
    public static void Save(string path, int columns, int panelWidth, int panelHeight, params IChart[] charts) =>
        PngEncoder.Save(path, Render(columns, panelWidth, panelHeight, charts));
}
