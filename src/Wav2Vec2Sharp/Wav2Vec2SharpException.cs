namespace Wav2Vec2Sharp;

/// <summary>
/// Base type of the errors this library reports about user input (configuration files, checkpoints,
/// model directories). The message is one sentence that names the file and the problem.
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
