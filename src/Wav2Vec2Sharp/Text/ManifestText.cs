using Wav2Vec2Sharp.Data;

namespace Wav2Vec2Sharp.Text;

/// <summary>Opens manifest files, turning I/O failures into <see cref="ManifestException"/>.</summary>
internal static class ManifestText
{
    public static StreamReader Open(string path)
    {
        try
        {
            if (!File.Exists(path))
                throw new ManifestException(path, null, Directory.Exists(path) ? "is a folder, not a manifest file" : "file not found");
            return new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ManifestException(path, null, $"cannot read file ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>All lines of <paramref name="path"/>, without the blank lines at its end.</summary>
    public static List<string> ReadLines(string path)
    {
        using var reader = Open(path);
        var lines = new List<string>();
        try
        {
            for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
                lines.Add(line);
        }
        catch (IOException e)
        {
            throw new ManifestException(path, null, $"cannot read file ({e.Message.TrimEnd('.')})", e);
        }
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>The first line of <paramref name="path"/> that is not blank, or null.</summary>
    public static string? FirstContentLine(string path)
    {
        using var reader = Open(path);
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (!string.IsNullOrWhiteSpace(line))
                return line;
        }
        return null;
    }

    public static string Folder(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;
}
