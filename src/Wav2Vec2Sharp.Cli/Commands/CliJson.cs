using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>JSON settings for command output.</summary>
internal static class CliJson
{
    /// <summary>Indented, with non-ASCII text written as is.</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
