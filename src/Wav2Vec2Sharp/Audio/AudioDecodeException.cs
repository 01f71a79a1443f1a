namespace Wav2Vec2Sharp.Audio;

/// <summary>
/// Thrown when an audio file cannot be read or decoded: it is missing, of an unknown format, has a
/// corrupt or truncated header or data, holds no samples, or holds NaN or infinite samples.
/// </summary>
/// <remarks>
/// The message is one sentence of the form <c>"clip.wav: truncated data chunk (expected 32000 bytes, found 1200)"</c>,
/// naming the file (as the caller passed it) and the problem.
/// </remarks>
public sealed class AudioDecodeException : Wav2Vec2SharpException
{
    /// <summary>Creates an exception for <paramref name="filePath"/> with the given problem description.</summary>
    /// <param name="filePath">The path of the file, as passed to the reader.</param>
    /// <param name="problem">What is wrong, without the file name, e.g. <c>"unrecognised audio format"</c>.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public AudioDecodeException(string filePath, string problem, Exception? innerException = null)
        : base(filePath + ": " + problem, innerException!)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The path of the file that could not be decoded, as passed to the reader.</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; }
}
