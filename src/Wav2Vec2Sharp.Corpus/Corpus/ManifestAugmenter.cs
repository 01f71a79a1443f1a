using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Writes a fixed, augmented copy of a labelled manifest (<c>w2v corpus augment</c>): every clip through an
/// <see cref="AugmentationRecipe"/>, with the same transcript. Made for dev sets that stand in for the speakers and
/// channels a model must generalise to (choosing checkpoints with <c>w2v finetune --dev</c>, the LM's weights with
/// <c>w2v tune-lm</c>) without touching a test set.
/// </summary>
/// <remarks>
/// The clips of <c>NAME.jsonl</c> are written as 16-bit, 16 kHz WAV files into the folder <c>NAME/</c> beside it, as
/// <c>INDEX-cCOPY.wav</c>, peak-limited to 0.99. Copy <c>c</c> of clip <c>i</c> is augmented with the seed
/// <c>SplitMix64.FromKeys(seed, c, i)</c>, so the output depends only on the source, the recipe and the seed. Babble is
/// drawn from up to <see cref="BabblePoolSize"/> clips of the same manifest spread evenly over it, never the clip itself.
/// The clips are written into a new folder that replaces <c>NAME/</c> (only one this class wrote, marked by its
/// <c>augmentation.json</c>: the source, the recipe, the seed, the copies) once all of them are written; the manifest is
/// written last and atomically. Every clip is decoded into memory first.
/// </remarks>
public static class ManifestAugmenter
{
    /// <summary>The most clips that the babble effect draws from.</summary>
    public const int BabblePoolSize = 64;

    /// <summary>The file in the clip folder that records how it was made (and marks it as this class's to replace).</summary>
    private const string ProvenanceFile = "augmentation.json";

    /// <summary>How paths are compared: case-sensitively where the file system usually is.</summary>
    private static readonly StringComparison PathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>Writes the augmented copy of <paramref name="sourcePath"/> to <paramref name="outputPath"/>.</summary>
    /// <param name="sourcePath">A labelled manifest that <see cref="LabelledManifest.Read(string, LabelledManifestOptions?)"/> reads.</param>
    /// <param name="outputPath">The JSON-lines manifest to write (<c>.jsonl</c>); its clips go into the folder of the same name without the extension.</param>
    /// <param name="recipe">The effects; must not be <see cref="AugmentationRecipe.None"/>.</param>
    /// <param name="seed">The seed of every draw.</param>
    /// <param name="copies">Augmented copies of each clip (1 or more).</param>
    /// <param name="includeOriginal">Also list each source clip, unchanged, before its copies.</param>
    /// <param name="progress">Told the number of source clips done and their total, as they finish.</param>
    /// <returns>What was written (transcripts as the source writes them), and the source rows that were left out.</returns>
    /// <exception cref="ManifestException">The source manifest is missing, malformed or has no usable row.</exception>
    /// <exception cref="AudioDecodeException">A source clip cannot be decoded; the manifest is then not written.</exception>
    /// <exception cref="ArgumentException">The recipe is empty, <paramref name="copies"/> is below 1, the output is not a
    /// <c>.jsonl</c> file, it is the source itself, or its clip folder exists but was not written by this class or holds a
    /// clip of the source.</exception>
    public static AugmentedManifest Write(string sourcePath, string outputPath, AugmentationRecipe recipe, int seed = 1, int copies = 1,
        bool includeOriginal = false, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        ArgumentNullException.ThrowIfNull(recipe);
        if (recipe.IsEmpty)
            throw new ArgumentException("The augmentation recipe applies nothing; name at least one effect.", nameof(recipe));
        if (copies < 1)
            throw new ArgumentException($"copies must be at least 1 (was {copies}).", nameof(copies));
        string output = Path.GetFullPath(outputPath);
        if (!output.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{outputPath}: the augmented manifest is written as JSON lines; name it NAME.jsonl.", nameof(outputPath));
        if (string.Equals(output, Path.GetFullPath(sourcePath), PathComparison))
            throw new ArgumentException($"{outputPath}: the augmented manifest cannot replace its source.", nameof(outputPath));
        string folder = output[..^".jsonl".Length];
        if (Directory.Exists(folder) && !File.Exists(Path.Combine(folder, ProvenanceFile)))
            throw new ArgumentException($"{folder}: the folder for the augmented clips exists and was not written by w2v corpus augment; choose another output name.", nameof(outputPath));

        var source = LabelledManifest.Read(sourcePath, new LabelledManifestOptions { Normalizer = null });   // transcripts as written
        var clips = source.Utterances;
        if (clips.FirstOrDefault(c => c.AudioPath.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison)) is { } inside)
            throw new ArgumentException($"{outputPath}: its clip folder would replace {inside.AudioPath}, a clip of the source; choose another output name.", nameof(outputPath));
        float[][] audio = [.. clips.Select(c => AudioFile.Load(c.AudioPath))];
        var pool = Babble(audio);

        // The clips go into a new sibling folder that replaces the old one only when every clip is written.
        var written = new LabelledUtterance[clips.Count, copies];
        AtomicDirectory.Write(folder, staging =>
        {
            int done = 0;
            ForEachClip(clips.Count, i =>
            {
                var others = pool.For(i);
                for (int copy = 0; copy < copies; copy++)
                {
                    ulong clipSeed = SplitMix64.FromKeys(seed, copy, i).NextUInt64();
                    float[] samples = recipe.Apply(audio[i], AudioFile.DefaultSampleRate, clipSeed, others);
                    UtteranceMaker.LimitPeak(samples);
                    string name = string.Create(CultureInfo.InvariantCulture, $"{i:D6}-c{copy}.wav");
                    using (var stream = File.Create(Path.Combine(staging, name)))
                        Pcm16Wav.Write(stream, samples, AudioFile.DefaultSampleRate);
                    written[i, copy] = new LabelledUtterance(Path.Combine(folder, name), clips[i].Text, samples.Length);
                }
                progress?.Report((Interlocked.Increment(ref done), clips.Count));
            });
            var provenance = new JsonObject
            {
                ["source"] = Path.GetFullPath(sourcePath),
                ["augmentation"] = recipe.Describe(),
                ["seed"] = seed,
                ["copies"] = copies,
                ["include_original"] = includeOriginal,
            };
            File.WriteAllText(Path.Combine(staging, ProvenanceFile), provenance.ToJsonString(new() { WriteIndented = true }) + "\n");
        });

        var rows = new List<LabelledUtterance>();
        for (int i = 0; i < clips.Count; i++)
        {
            if (includeOriginal)
                rows.Add(clips[i] with { NumSamples = audio[i].Length });
            for (int copy = 0; copy < copies; copy++)
                rows.Add(written[i, copy]);
        }
        LabelledManifest.WriteJsonl(output, rows);
        double seconds = rows.Sum(r => (double)r.NumSamples!.Value) / AudioFile.DefaultSampleRate;
        return new AugmentedManifest(output, rows.Count, TimeSpan.FromSeconds(seconds), source.BadRows);
    }

    /// <summary>Runs <paramref name="body"/> for every clip in parallel, rethrowing the first failure as itself.</summary>
    private static void ForEachClip(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Up to <see cref="BabblePoolSize"/> clips spread evenly over the manifest.</summary>
    private static BabblePool Babble(float[][] audio)
    {
        int count = Math.Min(BabblePoolSize, audio.Length);
        int[] indices = [.. Enumerable.Range(0, count).Select(k => (int)((long)k * audio.Length / count))];
        return new BabblePool(indices, [.. indices.Select(i => audio[i])]);
    }
}
