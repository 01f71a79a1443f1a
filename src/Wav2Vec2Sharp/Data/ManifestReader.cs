using System.Globalization;

namespace Wav2Vec2Sharp.Data;

/// <summary>Parses the fairseq manifest format, reporting problems as <c>file:line: problem</c>.</summary>
internal static class ManifestReader
{
    public static AudioManifest Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (!File.Exists(path))
                throw new ManifestException(path, null, Directory.Exists(path) ? "is a folder, not a manifest file" : "manifest not found");
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            return Parse(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ManifestException(path, null, $"cannot read file ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static AudioManifest Parse(TextReader reader, string path)
    {
        string? first = reader.ReadLine();
        if (first is null)
            throw new ManifestException(path, 1, "missing root folder line (the file is empty)");
        string rootText = first.Trim();
        if (rootText.Length == 0)
            throw new ManifestException(path, 1, "missing root folder (the first line is empty)");
        if (rootText.Contains('\t'))
            throw new ManifestException(path, 1, "missing root folder line (the first line holds a tab, like an entry; a manifest starts with the root folder)");
        string manifestFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string root = Path.GetFullPath(Path.Combine(manifestFolder, rootText));

        var entries = new List<ManifestEntry>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var (relative, count) = ParseEntry(line, path, lineNumber);
            entries.Add(new ManifestEntry(Path.GetFullPath(Path.Combine(root, relative)), count));
        }
        return new AudioManifest(root, entries);
    }

    private static (string Relative, int Count) ParseEntry(string line, string path, int lineNumber)
    {
        int tab = line.IndexOf('\t');
        if (tab < 0)
            throw new ManifestException(path, lineNumber, line.TrimStart().StartsWith('{')
                ? "a JSON line where a fairseq manifest expects 'relative/path<TAB>num_samples': give a fairseq .tsv manifest or the folder of audio"
                : "expected 'relative/path<TAB>num_samples', found no tab");
        if (line.IndexOf('\t', tab + 1) >= 0)
            throw new ManifestException(path, lineNumber, $"expected 2 tab-separated fields (relative/path and num_samples), found {line.Count(c => c == '\t') + 1}");
        string relative = line[..tab];
        if (relative.Trim().Length == 0)
            throw new ManifestException(path, lineNumber, "empty file path before the tab");
        string countText = line[(tab + 1)..].Trim();
        if (countText.Length == 0)
            throw new ManifestException(path, lineNumber, "missing num_samples after the tab");
        string unsigned = countText.Length > 0 && countText[0] is '+' or '-' ? countText[1..] : countText;
        if (unsigned.Length == 0 || !unsigned.All(char.IsAsciiDigit))
            throw new ManifestException(path, lineNumber, $"num_samples '{countText}' is not an integer");
        bool negative = countText[0] == '-';
        if (!long.TryParse(countText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long count) || count > int.MaxValue)
        {
            throw new ManifestException(path, lineNumber, negative
                ? $"num_samples must be positive, found {countText}"
                : $"num_samples {countText} is too large (at most {int.MaxValue})");
        }
        if (count <= 0)
            throw new ManifestException(path, lineNumber, $"num_samples must be positive, found {count}");
        return (relative, (int)count);
    }
}
