namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>An audio input and where its outputs go relative to an output folder.</summary>
/// <param name="Path">The file as given or found.</param>
/// <param name="RelativeStem">Its path relative to the folder argument it was found in (or its name), without extension.</param>
internal sealed record InputFile(string Path, string RelativeStem);

/// <summary>Expands command-line inputs: files are kept as given, folders are walked recursively for audio files.</summary>
internal static class InputFiles
{
    /// <summary>Extensions picked up when walking a folder.</summary>
    public static readonly string[] AudioExtensions = [".wav", ".flac", ".mp3", ".ogg", ".opus", ".webm"];

    /// <summary>The inputs in order: each file argument, then each folder's audio files sorted by path.</summary>
    /// <param name="arguments">Files and folders from the command line.</param>
    /// <param name="emptyFolders">Receives folders that hold no audio file.</param>
    public static List<InputFile> Expand(IEnumerable<string> arguments, List<string> emptyFolders)
    {
        var inputs = new List<InputFile>();
        foreach (var argument in arguments)
        {
            if (!Directory.Exists(argument))
            {
                inputs.Add(new InputFile(argument, Path.GetFileNameWithoutExtension(argument)));
                continue;
            }
            var found = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (found.Count == 0)
                emptyFolders.Add(argument);
            foreach (var file in found)
            {
                var relative = Path.GetRelativePath(argument, file);
                inputs.Add(new InputFile(file, Path.Combine(Path.GetDirectoryName(relative) ?? "", Path.GetFileNameWithoutExtension(relative))));
            }
        }
        return inputs;
    }
}
