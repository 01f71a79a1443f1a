namespace Wav2Vec2Sharp.Demo;

/// <summary>
/// Records which <see cref="DemoTask"/> an output folder holds (<c>task.txt</c>), so that a demo of another task is never
/// resumed from its corpus and checkpoints.
/// </summary>
internal static class DemoTaskMarker
{
    internal const string FileName = "task.txt";

    /// <summary>Writes the marker in a new folder, or checks that an existing folder holds <paramref name="task"/>.</summary>
    /// <exception cref="Wav2Vec2SharpException">The folder holds a demo of another task.</exception>
    internal static void Claim(string folder, DemoTask task)
    {
        var path = Path.Combine(folder, FileName);
        var name = Name(task);
        if (File.Exists(path))
        {
            var held = File.ReadAllText(path).Trim();
            if (held != name)
                throw new Wav2Vec2SharpException($"{folder} holds a demo of the {held} task; give another output folder for the {name} task.");
            return;
        }
        // folders written before the marker existed hold the sentences task
        bool older = Directory.Exists(Path.Combine(folder, "corpus"));
        if (older && task != DemoTask.Sentences)
            throw new Wav2Vec2SharpException($"{folder} holds a demo of the sentences task; give another output folder for the {name} task.");
        AtomicFile.WriteAllText(path, name + "\n");
    }

    internal static string Name(DemoTask task) => task.ToString().ToLowerInvariant();
}
