namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// A synthetic corpus that cannot be made: no sentence source or speech engine is installed, the options are invalid,
/// the text is too short for the splits asked for, or an engine fails on most sentences.
/// </summary>
public sealed class CorpusException : Wav2Vec2SharpException
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public CorpusException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public CorpusException(string message, Exception innerException) : base(message, innerException) { }
}
