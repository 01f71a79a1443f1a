using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Data;

public sealed class AudioManifestTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_ThenRead_RoundTripsRootAndEntries()
    {
        var root = Path.Combine(_dir.Root, "corpus");
        var manifest = new AudioManifest(root,
        [
            new ManifestEntry(Path.Combine(root, "spk1", "a.wav"), 16000),
            new ManifestEntry("b.flac", 48000),
        ]);
        var path = Path.Combine(_dir.Root, "out", "train.tsv");

        manifest.Write(path);
        var read = AudioManifest.Read(path);

        Assert.Equal($"{root}\nspk1/a.wav\t16000\nb.flac\t48000\n", File.ReadAllText(path));
        Assert.Equal(root, read.Root);
        Assert.Equal(
            [new ManifestEntry(Path.Combine(root, "spk1", "a.wav"), 16000), new ManifestEntry(Path.Combine(root, "b.flac"), 48000)],
            read.Entries);
        Assert.Equal(64000, read.TotalSamples);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Root, "out"), "*.tmp"));
    }

    [Fact]
    public void Read_RelativeRoot_IsResolvedAgainstTheManifestFolder()
    {
        var path = _dir.WriteFile("lists/train.tsv", "../audio\nx/y.wav\t5\n"u8.ToArray());

        var manifest = AudioManifest.Read(path);

        Assert.Equal(Path.Combine(_dir.Root, "audio"), manifest.Root);
        Assert.Equal(Path.Combine(_dir.Root, "audio", "x", "y.wav"), Assert.Single(manifest.Entries).Path);
    }

    [Fact]
    public void Read_AcceptsBomCrlfAndBlankLines()
    {
        var path = _dir.Write("m.tsv", [0xEF, 0xBB, 0xBF, .. "/data\r\na.wav\t10\r\n\r\nb.wav\t20\r\n"u8]);

        var manifest = AudioManifest.Read(path);

        Assert.Equal("/data", manifest.Root);
        Assert.Equal([new ManifestEntry("/data/a.wav", 10), new ManifestEntry("/data/b.wav", 20)], manifest.Entries);
    }

    [Fact]
    public void Read_RootOnly_GivesAnEmptyManifest()
    {
        var manifest = AudioManifest.Read(_dir.Write("m.tsv", "/data\n"u8.ToArray()));

        Assert.Empty(manifest.Entries);
    }

    [Theory]
    [InlineData("", 1, "missing root folder line (the file is empty)")]
    [InlineData("  \na.wav\t10\n", 1, "missing root folder (the first line is empty)")]
    [InlineData("a.wav\t100\n", 1, "missing root folder line (the first line holds a tab, like an entry; a manifest starts with the root folder)")]
    [InlineData("/data\na.wav 100\n", 2, "expected 'relative/path<TAB>num_samples', found no tab")]
    [InlineData("/data\na.wav\t100\nb.wav\tabc\n", 3, "num_samples 'abc' is not an integer")]
    [InlineData("/data\n\na.wav\t1.5\n", 3, "num_samples '1.5' is not an integer")]
    [InlineData("/data\na.wav\t0\n", 2, "num_samples must be positive, found 0")]
    [InlineData("/data\na.wav\t-5\n", 2, "num_samples must be positive, found -5")]
    [InlineData("/data\na.wav\t99999999999999999999\n", 2, "num_samples 99999999999999999999 is too large (at most 2147483647)")]
    [InlineData("/data\na.wav\t2147483648\n", 2, "num_samples 2147483648 is too large (at most 2147483647)")]
    [InlineData("/data\na.wav\t\n", 2, "missing num_samples after the tab")]
    [InlineData("/data\n\t100\n", 2, "empty file path before the tab")]
    [InlineData("/data\na.wav\t1\t2\n", 2, "expected 2 tab-separated fields (relative/path and num_samples), found 3")]
    public void Read_MalformedManifest_NamesFileAndLine(string text, int line, string problem)
    {
        var path = _dir.Write("bad.tsv", System.Text.Encoding.UTF8.GetBytes(text));

        var e = Assert.Throws<ManifestException>(() => AudioManifest.Read(path));

        Assert.Equal($"{path}:{line}: {problem}", e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Equal(line, e.Line);
        Assert.Equal(problem, e.Problem);
    }

    [Fact]
    public void Read_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(_dir.Root, "nope.tsv");

        var e = Assert.Throws<ManifestException>(() => AudioManifest.Read(path));

        Assert.Equal(path + ": manifest not found", e.Message);
        Assert.Null(e.Line);
    }

    [Fact]
    public void Write_PathWithATab_ThrowsAndLeavesNoFile()
    {
        var manifest = new AudioManifest("/data", [new ManifestEntry("a\tb.wav", 10)]);
        var path = Path.Combine(_dir.Root, "m.tsv");

        var e = Assert.Throws<ManifestException>(() => manifest.Write(path));

        Assert.Contains("a tab or line break", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Constructor_NonPositiveCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AudioManifest("/data", [new ManifestEntry("a.wav", 0)]));
    }

    [Fact]
    public void Open_ReadsAFileOrScansAFolder()
    {
        _dir.WriteFile("audio/a.wav", DataTestSupport.RampWav(100));
        var manifestPath = _dir.Write("m.tsv", System.Text.Encoding.UTF8.GetBytes($"{_dir.Root}/audio\na.wav\t100\n"));

        var fromFile = AudioManifest.Open(manifestPath);
        var fromFolder = AudioManifest.Open(Path.Combine(_dir.Root, "audio"));

        Assert.Equal(fromFile.Root, fromFolder.Root);
        Assert.Equal(fromFile.Entries, fromFolder.Entries);
    }
}
