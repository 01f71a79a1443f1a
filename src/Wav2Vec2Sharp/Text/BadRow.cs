namespace Wav2Vec2Sharp.Text;

/// <summary>A manifest row that was left out, and why.</summary>
/// <param name="File">The file the row is in, as the reader named it (for fairseq manifests, the <c>.tsv</c> or the label file).</param>
/// <param name="Line">The 1-based line number (for a CSV record spanning several lines, the line it starts on).</param>
/// <param name="Problem">What is wrong, e.g. <c>"audio file not found: /data/clips/a.mp3"</c>.</param>
public sealed record BadRow(string File, int Line, string Problem)
{
    /// <summary>The row as <c>file:line: problem</c> (<c>file: problem</c> when the line is not known, 0).</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Problem}" : $"{File}: {Problem}";
}
