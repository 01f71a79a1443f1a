namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>Locates committed test fixtures under <c>tests/fixtures</c>, wherever the tests run from.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The absolute path of <paramref name="relativePath"/> under <c>tests/fixtures</c>.</summary>
    public static string Path(string relativePath) => System.IO.Path.Combine(Root.Value, relativePath);

    /// <summary>The absolute path of <paramref name="relativePath"/> under the repository's root.</summary>
    public static string RepositoryPath(string relativePath) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root.Value, "..", "..", relativePath));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures");
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Wav2Vec2Sharp.slnx")) && Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}
