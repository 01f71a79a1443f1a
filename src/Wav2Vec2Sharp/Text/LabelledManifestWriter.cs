using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec2Sharp.Audio;

using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Text;

/// <summary>Writes labelled manifests as fairseq tsv + ltr + wrd, or as JSON lines.</summary>
internal static class LabelledManifestWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteFairseq(string tsvPath, IEnumerable<LabelledUtterance> utterances, string? root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tsvPath);
        ArgumentNullException.ThrowIfNull(utterances);
        var rows = utterances.Select(u => (Audio: FullAudioPath(u), Text: CleanText(u), u.NumSamples)).ToList();
        var rootFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root ?? CommonFolder(rows.Select(r => r.Audio), ManifestText.Folder(tsvPath))));
        var tsv = new StringBuilder(rootFolder).Append('\n');
        var ltr = new StringBuilder();
        var wrd = new StringBuilder();
        foreach (var (audio, text, numSamples) in rows)
        {
            if (text.Contains('|'))
                throw new ArgumentException($"The transcript of {audio} holds '|', which fairseq letter labels use as the word boundary.", nameof(utterances));
            int samples = numSamples ?? MeasureSamples(audio);
            tsv.Append(Path.GetRelativePath(rootFolder, audio)).Append('\t').Append(samples.ToString(CultureInfo.InvariantCulture)).Append('\n');
            ltr.Append(LetterLabels.ToLetters(text)).Append('\n');
            wrd.Append(text).Append('\n');
        }
        AtomicFile.WriteAllText(Path.ChangeExtension(tsvPath, ".ltr"), ltr.ToString());
        AtomicFile.WriteAllText(Path.ChangeExtension(tsvPath, ".wrd"), wrd.ToString());
        AtomicFile.WriteAllText(tsvPath, tsv.ToString());
    }

    public static void WriteJsonl(string path, IEnumerable<LabelledUtterance> utterances)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(utterances);
        var folder = ManifestText.Folder(path);
        var output = new StringBuilder();
        foreach (var utterance in utterances)
        {
            var audio = FullAudioPath(utterance);
            var relative = Path.GetRelativePath(folder, audio);
            var line = new JsonObject
            {
                ["audio_filepath"] = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathFullyQualified(relative) ? audio : relative,
                ["text"] = CleanText(utterance),
            };
            if (utterance.NumSamples is int samples)
                line["duration"] = (double)samples / ManifestColumns.SampleRate;
            output.Append(line.ToJsonString(JsonOptions)).Append('\n');
        }
        AtomicFile.WriteAllText(path, output.ToString());
    }

    private static string FullAudioPath(LabelledUtterance utterance)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        if (string.IsNullOrWhiteSpace(utterance.AudioPath) || utterance.AudioPath.IndexOfAny(['\t', '\r', '\n']) >= 0)
            throw new ArgumentException($"The audio path \"{utterance.AudioPath}\" is empty or holds a tab or line break.", nameof(utterance));
        return Path.GetFullPath(utterance.AudioPath);
    }

    private static string CleanText(LabelledUtterance utterance)
    {
        var text = string.Join(' ', (utterance.Text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
            throw new ArgumentException($"The transcript of {utterance.AudioPath} is empty.", nameof(utterance));
        return text;
    }

    private static int MeasureSamples(string audio)
    {
        try
        {
            return AudioFile.Load(audio).Length;
        }
        catch (AudioDecodeException e)
        {
            throw new ManifestException(audio, null, $"cannot measure its length for the manifest ({e.Problem})", e);
        }
    }

    /// <summary>The deepest folder holding every path, or <paramref name="fallback"/> when there are none.</summary>
    private static string CommonFolder(IEnumerable<string> paths, string fallback)
    {
        string[]? common = null;
        foreach (var path in paths)
        {
            var parts = Path.GetDirectoryName(path)!.Split(Path.DirectorySeparatorChar);
            if (common is null)
            {
                common = parts;
                continue;
            }
            int n = 0;
            while (n < common.Length && n < parts.Length && common[n] == parts[n])
                n++;
            common = common[..n];
        }
        if (common is null)
            return fallback;
        var joined = string.Join(Path.DirectorySeparatorChar, common);
        return joined.Length == 0 ? Path.GetPathRoot(fallback)! : joined;
    }
}
