using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Inference;

/// <summary>What <see cref="Transcriber.TranscribeFiles"/> made of one file: its transcription, or the error that stopped it.</summary>
/// <param name="Index">The file's position in the list given.</param>
/// <param name="Result">The transcription, or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the file has no transcription (unreadable or too-short audio), or null.</param>
/// <param name="ReadSeconds">Time spent decoding the file before the model ran (0 when a WAV was streamed).</param>
/// <param name="Seconds">Time the file took in all: its reading plus its share of the model's time.</param>
public sealed record FileTranscription(int Index, Transcription? Result, Exception? Error, double ReadSeconds, double Seconds)
{
    /// <summary>
    /// What is wrong with the file, for a report that names the file itself: an <see cref="AudioDecodeException"/>'s
    /// <see cref="AudioDecodeException.Problem"/> (without the path), any other error's message; null without an error.
    /// </summary>
    public string? Problem => Error switch
    {
        null => null,
        AudioDecodeException decode => decode.Problem,
        _ => Error.Message,
    };
}
