namespace Wav2Vec2Sharp;

/// <summary>
/// Writes folders so that a reader never sees a partial one: build a hidden sibling, then move it into place. A folder
/// already there steps aside (to a hidden <c>.NAME.GUID.old</c> sibling) until the new one is in place and comes back if
/// it cannot be; a process killed between those two moves leaves the old folder under that hidden name.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>
    /// Runs <paramref name="write"/> on a new, empty staging folder beside <paramref name="path"/> (<c>.NAME.GUID.tmp</c>),
    /// then makes it <paramref name="path"/>, replacing any folder there. On failure the staging folder is deleted and
    /// the folder at <paramref name="path"/>, if any, is left as it was; a file at <paramref name="path"/> is never
    /// replaced (an <see cref="IOException"/>).
    /// </summary>
    /// <param name="path">The folder to write.</param>
    /// <param name="write">Fills the staging folder whose path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path}: a root folder cannot be replaced.", nameof(path));
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
            catch (Exception moveIn)
            {
                try
                {
                    Directory.Move(previous, full);
                }
                catch (Exception moveBack)
                {
                    throw new AggregateException($"{full}: the new folder could not be moved in, nor the old one back from {previous}.", moveIn, moveBack);
                }
                throw;
            }
            DeleteQuietly(previous);   // the new folder is in place: a leftover hidden copy is no failure
        }
        finally
        {
            if (Directory.Exists(staging))
                DeleteQuietly(staging);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
