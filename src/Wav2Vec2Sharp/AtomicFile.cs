namespace Wav2Vec2Sharp;

/// <summary>Writes files so that a reader never sees a partial one: write a temporary sibling, then rename over the target.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temporary path next to <paramref name="path"/>, then renames it into place.
    /// On failure the temporary file is deleted and any existing file at <paramref name="path"/> is left untouched.</summary>
    public static void Write(string path, Action<string> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Atomically writes <paramref name="text"/> (UTF-8, no BOM).</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Atomically writes a file produced through a stream.</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, (string temp) =>
    {
        using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
        write(stream);
        stream.Flush(flushToDisk: true);
    });
}
