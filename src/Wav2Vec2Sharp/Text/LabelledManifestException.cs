namespace Wav2Vec2Sharp.Text;

/// <summary>
/// Thrown when a labelled manifest cannot be used at all: a file is missing or unreadable, the format cannot be told,
/// a header lacks the needed columns, fairseq audio and label files differ in length, or no row is usable.
/// Problems confined to single rows are reported as <see cref="BadRow"/>s instead.
/// </summary>
/// <remarks>The message names the file and, when the problem is on one line, the 1-based line: <c>"train.ltr: has 9 lines but train.tsv has 10 entries"</c>.</remarks>
public sealed class LabelledManifestException : Wav2Vec2SharpException
{
    /// <summary>Creates an exception for <paramref name="filePath"/> (and <paramref name="line"/>, when the problem is on one line).</summary>
    /// <param name="filePath">The file the problem is in, as the caller named it.</param>
    /// <param name="line">The 1-based line number, or <see langword="null"/> when the problem concerns the whole file.</param>
    /// <param name="problem">What is wrong, without the file name.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public LabelledManifestException(string filePath, int? line, string problem, Exception? innerException = null)
        : base((line is { } n ? $"{filePath}:{n}: " : filePath + ": ") + problem, innerException!)
    {
        FilePath = filePath;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file the problem is in, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number of the problem, or <see langword="null"/> when it concerns the whole file.</summary>
    public int? Line { get; }

    /// <summary>The problem alone, without the file name and line.</summary>
    public string Problem { get; }
}
