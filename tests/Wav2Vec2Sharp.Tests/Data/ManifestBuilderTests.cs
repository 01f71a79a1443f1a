using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Data;

public sealed class ManifestBuilderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Audio => Path.Combine(_dir.Root, "audio");

    /// <summary>A small corpus: nested folders, mixed rates, an upper-case extension, a corrupt file and some non-audio files.</summary>
    private void WriteCorpus()
    {
        _dir.WriteFile("audio/b.wav", DataTestSupport.RampWav(1000));
        _dir.WriteFile("audio/a/z.WAV", DataTestSupport.RampWav(800, sampleRate: 8000));
        _dir.WriteFile("audio/a/bad.wav", "not audio at all"u8.ToArray());
        _dir.WriteFile("audio/a/deeper/c.wav", DataTestSupport.RampWav(441, sampleRate: 44100));
        _dir.WriteFile("audio/notes.txt", "hello"u8.ToArray());
        _dir.WriteFile("audio/.hidden.wav", DataTestSupport.RampWav(10));
    }

    [Fact]
    public void FromFolder_FindsNestedFilesInOrdinalOrder_AndReportsACorruptFileWithoutStopping()
    {
        WriteCorpus();
        var skipped = new List<SkippedAudioFile>();

        var manifest = AudioManifest.FromFolder(Audio, skipped.Add);

        Assert.Equal(Audio, manifest.Root);
        Assert.Equal(
            [
                new ManifestEntry(Path.Combine(Audio, "a", "deeper", "c.wav"), 160), // ceil(441 · 16000 / 44100)
                new ManifestEntry(Path.Combine(Audio, "a", "z.WAV"), 1600),          // 8 kHz, doubled
                new ManifestEntry(Path.Combine(Audio, "b.wav"), 1000),
            ],
            manifest.Entries);
        var bad = Assert.Single(skipped);
        Assert.Equal(Path.Combine(Audio, "a", "bad.wav"), bad.Path);
        Assert.StartsWith("unrecognised audio format", bad.Reason);
    }

    [Fact]
    public void Build_WritesTheManifestAndSummarises()
    {
        WriteCorpus();
        var output = Path.Combine(_dir.Root, "lists", "train.tsv");
        var progress = new RecordingProgress<ManifestProgress>();

        var summary = ManifestBuilder.Build(Audio, output, progress);

        Assert.Equal($"{Audio}\na/deeper/c.wav\t160\na/z.WAV\t1600\nb.wav\t1000\n", File.ReadAllText(output));
        Assert.Equal(output, summary.ManifestPath);
        Assert.Equal(Audio, summary.Root);
        Assert.Equal(3, summary.FilesWritten);
        Assert.Equal(2760, summary.TotalSamples);
        Assert.Equal(2760 / 16000.0 / 3600, summary.TotalHours, 12);
        Assert.Equal(Path.Combine(Audio, "a", "bad.wav"), Assert.Single(summary.Skipped).Path);

        var reports = progress.Reports;
        Assert.Equal(new ManifestProgress(0, 4, 0), reports[0]);
        Assert.Equal(new ManifestProgress(4, 4, 1), reports[^1]);
        Assert.Equal(Enumerable.Range(0, 5), reports.Select(r => r.Done));
    }

    [Fact]
    public void Build_ManyFiles_OrderDoesNotDependOnThreads()
    {
        for (int i = 0; i < 40; i++)
            _dir.WriteFile($"audio/d{i % 3}/f{i:D2}.wav", DataTestSupport.RampWav(10 + i));

        var first = AudioManifest.FromFolder(Audio);
        var second = AudioManifest.FromFolder(Audio);

        var relative = first.Entries.Select(e => Path.GetRelativePath(Audio, e.Path)).ToArray();
        Assert.Equal(relative.Order(StringComparer.Ordinal), relative);
        Assert.Equal(first.Entries, second.Entries);
        Assert.All(first.Entries, e => Assert.Equal(10 + int.Parse(Path.GetFileNameWithoutExtension(e.Path)[1..]), e.NumSamples));
    }

    [Fact]
    public void Scan_MissingFolder_ThrowsManifestException()
    {
        var folder = Path.Combine(_dir.Root, "missing");

        var e = Assert.Throws<ManifestException>(() => ManifestBuilder.Scan(folder));

        Assert.Equal(folder + ": folder not found", e.Message);
    }

    [Fact]
    public void Build_FolderOfUnreadableFiles_ThrowsNamingTheFirstAndWritesNothing()
    {
        _dir.WriteFile("audio/a.wav", "not audio at all"u8.ToArray());
        _dir.WriteFile("audio/b.wav", []);
        var output = Path.Combine(_dir.Root, "train.tsv");

        var e = Assert.Throws<ManifestException>(() => ManifestBuilder.Build(Audio, output));

        Assert.StartsWith($"{Audio}: none of its 2 audio files is readable (the first, {Path.Combine(Audio, "a.wav")}: unrecognised audio format", e.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Build_FolderWithoutAudio_ThrowsAndWritesNothing()
    {
        _dir.WriteFile("audio/notes.txt", "hello"u8.ToArray());
        var output = Path.Combine(_dir.Root, "train.tsv");

        var e = Assert.Throws<ManifestException>(() => ManifestBuilder.Build(Audio, output));

        Assert.Equal($"{Audio}: holds no audio files (.wav, .flac, .mp3, .ogg, .opus, .webm)", e.Message);
        Assert.False(File.Exists(output));
    }
}
