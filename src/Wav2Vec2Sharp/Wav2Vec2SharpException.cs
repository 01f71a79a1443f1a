namespace Wav2Vec2Sharp;

/// <summary>
/// The root of every error the Wav2Vec2Sharp packages report about user input: configuration files, checkpoints and
/// model directories, audio files (<see cref="Audio.AudioDecodeException"/>), manifests, language models, alignments,
/// the corpus. The message is one sentence that names the input and the problem, so an application can catch this one
/// type and show the message as it is.
/// </summary>
public class Wav2Vec2SharpException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public Wav2Vec2SharpException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public Wav2Vec2SharpException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A <c>config.json</c> (or <c>preprocessor_config.json</c>) that is missing, unreadable or invalid.</summary>
public sealed class ConfigException : Wav2Vec2SharpException
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public ConfigException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public ConfigException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A checkpoint whose files are missing or corrupt, or whose tensors do not fit the model.</summary>
public sealed class CheckpointException : Wav2Vec2SharpException
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public CheckpointException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public CheckpointException(string message, Exception innerException) : base(message, innerException) { }
}
