namespace Wav2Vec2Sharp.Timestamps;

/// <summary>A transcript that cannot be aligned to its audio: characters outside the vocabulary, or too few frames.</summary>
public sealed class AlignmentException : Wav2Vec2SharpException
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public AlignmentException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public AlignmentException(string message, Exception innerException) : base(message, innerException) { }
}
