using System.Buffers.Binary;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Data;

/// <summary>WAV files with known samples, for the data-pipeline tests.</summary>
internal static class DataTestSupport
{
    /// <summary>A mono 16-bit WAV whose sample k is <c>(short)(first + k)</c> (wrapping), so every sample is identifiable.</summary>
    public static byte[] RampWav(int count, int first = 0, int sampleRate = 16000)
    {
        var data = new byte[count * 2];
        for (int k = 0; k < count; k++)
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * k), unchecked((short)(first + k)));
        return new WavBuilder { SampleRate = sampleRate, Data = data }.ToBytes();
    }

    /// <summary>The float value the decoder gives sample k of <see cref="RampWav"/>.</summary>
    public static float RampSample(int k, int first = 0) => unchecked((short)(first + k)) / 32768f;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="relativePath"/> under the folder, creating subfolders.</summary>
    public static string WriteFile(this TempDir dir, string relativePath, byte[] bytes)
    {
        var path = Path.Combine(dir.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Entries without files, for planning tests.</summary>
    public static ManifestEntry[] Entries(params int[] lengths) =>
        lengths.Select((n, i) => new ManifestEntry($"/data/clip{i}.wav", n)).ToArray();

    /// <summary>Entries of pseudo-random lengths in [min, max].</summary>
    public static ManifestEntry[] RandomEntries(int count, int min, int max, int seed)
    {
        var rng = new Random(seed);
        return Entries(Enumerable.Range(0, count).Select(_ => rng.Next(min, max + 1)).ToArray());
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously, on the reporting thread.</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get { lock (_reports) return _reports.ToArray(); }
    }

    public void Report(T value)
    {
        lock (_reports)
            _reports.Add(value);
    }
}
