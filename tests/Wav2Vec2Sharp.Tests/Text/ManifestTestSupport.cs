using System.Text;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Text;

/// <summary>Writes small audio files and manifests for the labelled-manifest tests.</summary>
internal static class ManifestTestSupport
{
    /// <summary>Writes a 16 kHz mono 16-bit WAV of <paramref name="samples"/> silent samples at <paramref name="relativePath"/>.</summary>
    public static string Wav(this TempDir dir, string relativePath, int samples = 1600)
    {
        var path = Path.Combine(dir.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new WavBuilder { Data = new byte[samples * 2] }.ToBytes());
        return path;
    }

    /// <summary>Writes UTF-8 text (no BOM) at <paramref name="relativePath"/>.</summary>
    public static string Text(this TempDir dir, string relativePath, string content)
    {
        var path = Path.Combine(dir.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}
