using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.IO;

public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_new_folder_appears_whole()
    {
        var target = Path.Combine(_temp.Root, "nested", "out");
        string? staged = null;

        AtomicDirectory.Write(target, staging =>
        {
            staged = staging;
            Assert.False(Directory.Exists(target));
            Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
            File.WriteAllText(Path.Combine(staging, "a.txt"), "new");
        });

        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "a.txt")));
        Assert.Equal(Path.Combine(_temp.Root, "nested"), Path.GetDirectoryName(staged));
        Assert.StartsWith(".out.", Path.GetFileName(staged));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(Path.Combine(_temp.Root, "nested")).Select(Path.GetFileName));
    }

    [Fact]
    public void An_existing_folder_is_replaced_only_once_the_new_one_is_written()
    {
        var target = Path.Combine(_temp.Root, "out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "old.txt"), "old");

        AtomicDirectory.Write(target, staging =>
        {
            Assert.Equal("old", File.ReadAllText(Path.Combine(target, "old.txt")));   // still in place while the new one is built
            File.WriteAllText(Path.Combine(staging, "new.txt"), "new");
        });

        Assert.Equal(["new.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_leaves_the_existing_folder_and_no_staging()
    {
        var target = Path.Combine(_temp.Root, "out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "old.txt"), "old");

        var e = Assert.Throws<IOException>(() => AtomicDirectory.Write(target, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "half.txt"), "half");
            throw new IOException("disk full");
        }));

        Assert.Equal("disk full", e.Message);
        Assert.Equal(["old.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_trailing_separator_names_the_same_folder()
    {
        var target = Path.Combine(_temp.Root, "out");

        AtomicDirectory.Write(target + Path.DirectorySeparatorChar, staging => File.WriteAllText(Path.Combine(staging, "a.txt"), "a"));

        Assert.True(File.Exists(Path.Combine(target, "a.txt")));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_in_the_way_is_not_replaced()
    {
        var target = Path.Combine(_temp.Root, "out");
        File.WriteAllText(target, "a file");

        Assert.Throws<IOException>(() => AtomicDirectory.Write(target, staging => File.WriteAllText(Path.Combine(staging, "a.txt"), "a")));

        Assert.Equal("a file", File.ReadAllText(target));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_temp.Root).Select(Path.GetFileName));
    }
}
