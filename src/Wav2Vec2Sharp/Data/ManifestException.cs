namespace Wav2Vec2Sharp.Data;

/// <summary>
/// Thrown when a manifest (unlabelled audio or labelled utterances) cannot be read or written: the file is missing or
/// unreadable, or a line is malformed.
/// </summary>
/// <remarks>
/// The message names the file and, for a malformed line, the 1-based line number:
/// <c>"train.tsv:3: expected 'relative/path&lt;TAB&gt;num_samples', found no tab"</c>.
/// </remarks>
public sealed class ManifestException : Wav2Vec2SharpException
{
    /// <summary>Creates an exception for <paramref name="filePath"/> (and <paramref name="line"/>, when the problem is on one line).</summary>
    /// <param name="filePath">The manifest (or folder) the problem is in, as the caller named it.</param>
    /// <param name="line">The 1-based line number, or <see langword="null"/> when the problem concerns the whole file.</param>
    /// <param name="problem">What is wrong, without the file name.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ManifestException(string filePath, int? line, string problem, Exception? innerException = null)
        : base((line is { } n ? $"{filePath}:{n}: " : filePath + ": ") + problem, innerException!)
    {
        FilePath = filePath;
        Line = line;
        Problem = problem;
    }

    /// <summary>The manifest (or folder) the problem is in, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number of the problem, or <see langword="null"/> when it concerns the whole file.</summary>
    public int? Line { get; }

    /// <summary>The problem alone, without the file name and line.</summary>
    public string Problem { get; }
}
