namespace Wav2Vec2Sharp.Text;

/// <summary>The field and column names recognised for the audio path, the transcript and the duration.</summary>
internal static class ManifestColumns
{
    public static readonly string[] Audio = ["audio_filepath", "path", "file", "audio", "audio_path", "filename", "file_name", "wav_filename"];

    public static readonly string[] Text = ["text", "sentence", "transcript", "transcription"];

    public const string Duration = "duration";

    /// <summary>Seconds to a sample count at 16 kHz; null with a problem when not a positive finite number.</summary>
    public static int? ToSamples(double seconds, out string? problem)
    {
        problem = null;
        double samples = Math.Round(seconds * SampleRate);
        if (!double.IsFinite(seconds) || samples < 1 || samples > int.MaxValue)
        {
            problem = $"duration {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s is not a positive length";
            return null;
        }
        return (int)samples;
    }

    /// <summary>The rate sample counts are given at.</summary>
    public const int SampleRate = global::Wav2Vec2Sharp.Audio.AudioFile.DefaultSampleRate;
}
