namespace Wav2Vec2Sharp;

/// <summary>
/// Writes folders so that a reader never sees a partial one: build a hidden sibling, then move it into place. A folder
/// already there steps aside until the new one is in place and comes back if it cannot be, so a failure (or a kill
/// between the two moves) never loses both.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>
    /// Runs <paramref name="write"/> on a new, empty staging folder beside <paramref name="path"/> (<c>.NAME.GUID.tmp</c>),
    /// then makes it <paramref name="path"/>, replacing any folder there. On failure the staging folder is deleted and
    /// the folder at <paramref name="path"/>, if any, is left as it was.
    /// </summary>
    /// <param name="path">The folder to write.</param>
    /// <param name="write">Fills the staging folder whose path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(staging);
            write(staging);
            if (!Directory.Exists(full))
            {
                Directory.Move(staging, full);
                return;
            }
            var previous = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
            Directory.Move(full, previous);
            try
            {
                Directory.Move(staging, full);
            }
            catch
            {
                Directory.Move(previous, full);
                throw;
            }
            Directory.Delete(previous, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }
}
