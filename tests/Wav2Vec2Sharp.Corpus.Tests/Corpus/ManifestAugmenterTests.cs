using System.Text.Json;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Corpus;

/// <summary><see cref="ManifestAugmenter"/>: a fixed augmented copy of a labelled manifest.</summary>
public sealed class ManifestAugmenterTests
{
    private const int Rate = AudioFile.DefaultSampleRate;
    private static readonly string[] Texts = ["one two", "three", "four five six"];

    [Fact]
    public void Write_NoiseAtAFixedSnr_KeepsTheTextsAndAddsNoiseAtThatSnr()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir);

        var result = ManifestAugmenter.Write(source, Path.Combine(dir.Root, "dev_noisy.jsonl"), AugmentationRecipe.Parse("noise:1@10..10"), seed: 3);

        var manifest = LabelledManifest.Read(result.ManifestPath, new LabelledManifestOptions { Normalizer = null });
        Assert.Equal(Texts, manifest.Utterances.Select(u => u.Text));
        Assert.Equal(3, result.Clips);
        Assert.Empty(result.LeftOut);
        Assert.Equal(3 * 0.5, result.Duration.TotalSeconds, 6);
        for (int i = 0; i < Texts.Length; i++)
        {
            var clean = Clip(i);
            var noisy = AudioFile.Load(manifest.Utterances[i].AudioPath);
            Assert.Equal(Path.Combine(dir.Root, "dev_noisy", $"{i:D6}-c0.wav"), manifest.Utterances[i].AudioPath);
            Assert.Equal(clean.Length, noisy.Length);
            double signal = clean.Average(x => (double)x * x);
            double noise = noisy.Zip(clean, (y, x) => (double)(y - x) * (y - x)).Average();
            Assert.Equal(10, 10 * Math.Log10(signal / noise), 0.05);
        }
        using var provenance = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Root, "dev_noisy", "augmentation.json")));
        Assert.Equal("noise:1@10..10 (p = 0.5 unless given)", provenance.RootElement.GetProperty("augmentation").GetString());
        Assert.Equal(3, provenance.RootElement.GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Write_SameSeed_SameFiles_OtherSeed_OtherFiles()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir);
        var recipe = AugmentationRecipe.Parse("formant:1,noise:1");

        var first = ManifestAugmenter.Write(source, Path.Combine(dir.Root, "a.jsonl"), recipe, seed: 1);
        var again = ManifestAugmenter.Write(source, Path.Combine(dir.Root, "b.jsonl"), recipe, seed: 1);
        var other = ManifestAugmenter.Write(source, Path.Combine(dir.Root, "c.jsonl"), recipe, seed: 2);

        for (int i = 0; i < Texts.Length; i++)
        {
            byte[] a = File.ReadAllBytes(Path.Combine(dir.Root, "a", $"{i:D6}-c0.wav"));
            Assert.Equal(a, File.ReadAllBytes(Path.Combine(dir.Root, "b", $"{i:D6}-c0.wav")));
            Assert.NotEqual(a, File.ReadAllBytes(Path.Combine(dir.Root, "c", $"{i:D6}-c0.wav")));
        }
        Assert.Equal((first.Clips, first.Duration), (again.Clips, again.Duration));
        Assert.Equal(3, other.Clips);
    }

    [Fact]
    public void Write_CopiesWithTheOriginals_ListsEachClipThenItsCopies()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir);

        var result = ManifestAugmenter.Write(source, Path.Combine(dir.Root, "aug.jsonl"), AugmentationRecipe.Parse("gain:1"), copies: 2, includeOriginal: true);

        var rows = LabelledManifest.Read(result.ManifestPath, new LabelledManifestOptions { Normalizer = null }).Utterances;
        Assert.Equal(9, result.Clips);
        Assert.Equal(Texts.SelectMany(t => new[] { t, t, t }), rows.Select(r => r.Text));
        Assert.Equal(Path.Combine(dir.Root, "clips", "1.wav"), rows[3].AudioPath);
        Assert.Equal([Path.Combine(dir.Root, "aug", "000001-c0.wav"), Path.Combine(dir.Root, "aug", "000001-c1.wav")], [rows[4].AudioPath, rows[5].AudioPath]);
        Assert.NotEqual(File.ReadAllBytes(rows[4].AudioPath), File.ReadAllBytes(rows[5].AudioPath));
    }

    [Fact]
    public void Write_BabbleNeverMixesTheClipWithItself()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir, count: 1);

        ManifestAugmenter.Write(source, Path.Combine(dir.Root, "babbled.jsonl"), AugmentationRecipe.Parse("eq:1,babble:1"));
        ManifestAugmenter.Write(source, Path.Combine(dir.Root, "plain.jsonl"), AugmentationRecipe.Parse("eq:1"));

        // One clip has no other clip to babble with, so only the equaliser (drawn first, from the same seed) changes it.
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Root, "plain", "000000-c0.wav")), File.ReadAllBytes(Path.Combine(dir.Root, "babbled", "000000-c0.wav")));
    }

    [Fact]
    public void Write_AgainWithFewerCopies_ReplacesTheClipFolder_ButNeverAFolderItDidNotWrite()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir);
        var output = Path.Combine(dir.Root, "aug.jsonl");
        ManifestAugmenter.Write(source, output, AugmentationRecipe.Parse("gain:1"), copies: 2);

        var progress = new List<(int, int)>();
        ManifestAugmenter.Write(source, output, AugmentationRecipe.Parse("gain:1"), copies: 1, progress: new SynchronousProgress<(int Done, int Total)>(progress.Add));
        Directory.CreateDirectory(Path.Combine(dir.Root, "mine"));
        File.WriteAllText(Path.Combine(dir.Root, "mine", "notes.txt"), "keep");
        var refused = Assert.Throws<ArgumentException>(() => ManifestAugmenter.Write(source, Path.Combine(dir.Root, "mine.jsonl"), AugmentationRecipe.Parse("gain")));
        var inside = Assert.Throws<ArgumentException>(() => ManifestAugmenter.Write(source, Path.Combine(dir.Root, "clips.jsonl"), AugmentationRecipe.Parse("gain")));

        Assert.Equal(["000000-c0.wav", "000001-c0.wav", "000002-c0.wav", "augmentation.json"],
            Directory.GetFiles(Path.Combine(dir.Root, "aug")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, File.ReadAllLines(output).Length);
        Assert.Equal([1, 2, 3], progress.Select(p => p.Item1).Order());
        Assert.All(progress, p => Assert.Equal(3, p.Item2));
        Assert.Contains("was not written by w2v corpus augment", refused.Message);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(dir.Root, "mine", "notes.txt")));
        Assert.False(File.Exists(Path.Combine(dir.Root, "mine.jsonl")));
        Assert.Contains("was not written by w2v corpus augment", inside.Message);
        Assert.Empty(Directory.GetDirectories(dir.Root, ".aug.*"));  // no staging or set-aside folder is left
    }

    [Fact]
    public void Write_UndecodableClip_IsNamed_AndNoManifestIsWritten()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir);
        File.WriteAllText(Path.Combine(dir.Root, "clips", "2.wav"), "not audio");

        var error = Assert.Throws<AudioDecodeException>(() =>
            ManifestAugmenter.Write(source, Path.Combine(dir.Root, "aug.jsonl"), AugmentationRecipe.Parse("noise")));

        Assert.Contains(Path.Combine(dir.Root, "clips", "2.wav"), error.Message);
        Assert.False(File.Exists(Path.Combine(dir.Root, "aug.jsonl")));
        Assert.False(Directory.Exists(Path.Combine(dir.Root, "aug")));
    }

    [Fact]
    public void Write_BadArguments_AreRefused()
    {
        using var dir = new TempDir();
        var source = WriteSource(dir);
        var noise = AugmentationRecipe.Parse("noise");

        Assert.Throws<ManifestException>(() => ManifestAugmenter.Write(Path.Combine(dir.Root, "missing.jsonl"), Path.Combine(dir.Root, "o.jsonl"), noise));
        Assert.Contains("applies nothing", Assert.Throws<ArgumentException>(() =>
            ManifestAugmenter.Write(source, Path.Combine(dir.Root, "o.jsonl"), AugmentationRecipe.None)).Message);
        Assert.Contains("copies must be at least 1", Assert.Throws<ArgumentException>(() =>
            ManifestAugmenter.Write(source, Path.Combine(dir.Root, "o.jsonl"), noise, copies: 0)).Message);
        Assert.Contains("name it NAME.jsonl", Assert.Throws<ArgumentException>(() =>
            ManifestAugmenter.Write(source, Path.Combine(dir.Root, "o.tsv"), noise)).Message);
        Assert.Contains("cannot replace its source", Assert.Throws<ArgumentException>(() =>
            ManifestAugmenter.Write(source, source, noise)).Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Root, "o")));
    }

    private static float[] Clip(int index) => Signals.Sine(Rate / 2, 200 + 100 * index, Rate, amplitude: 0.3);

    private static string WriteSource(TempDir dir, int count = 3)
    {
        Directory.CreateDirectory(Path.Combine(dir.Root, "clips"));
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            using (var stream = File.Create(Path.Combine(dir.Root, "clips", $"{i}.wav")))
                Pcm16Wav.Write(stream, Clip(i), Rate);
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, object> { ["audio_filepath"] = $"clips/{i}.wav", ["text"] = Texts[i], ["duration"] = 0.5 }));
        }
        var path = Path.Combine(dir.Root, "dev.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }
}
