namespace Wav2Vec2Sharp.LanguageModels;

/// <summary>An ARPA language-model file that is missing or malformed. The message names the file and, where it applies, the line.</summary>
public sealed class ArpaFormatException : Wav2Vec2SharpException
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public ArpaFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public ArpaFormatException(string message, Exception innerException) : base(message, innerException) { }
}
