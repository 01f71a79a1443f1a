using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Demo;

public sealed class DemoTaskMarkerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_folder_keeps_the_task_it_was_first_used_for()
    {
        var folder = Path.Combine(_temp.Root, "demo");
        Directory.CreateDirectory(folder);

        DemoTaskMarker.Claim(folder, DemoTask.Digits);
        DemoTaskMarker.Claim(folder, DemoTask.Digits);
        var e = Assert.Throws<Wav2Vec2SharpException>(() => DemoTaskMarker.Claim(folder, DemoTask.Sentences));

        Assert.Equal("digits\n", File.ReadAllText(Path.Combine(folder, DemoTaskMarker.FileName)));
        Assert.Equal($"{folder} holds a demo of the digits task; give another output folder for the sentences task.", e.Message);
    }

    [Fact]
    public void A_folder_from_before_the_marker_holds_the_sentences_task()
    {
        var folder = Path.Combine(_temp.Root, "old");
        Directory.CreateDirectory(Path.Combine(folder, "corpus"));

        var e = Assert.Throws<Wav2Vec2SharpException>(() => DemoTaskMarker.Claim(folder, DemoTask.Digits));
        DemoTaskMarker.Claim(folder, DemoTask.Sentences);

        Assert.Equal($"{folder} holds a demo of the sentences task; give another output folder for the digits task.", e.Message);
        Assert.Equal("sentences\n", File.ReadAllText(Path.Combine(folder, DemoTaskMarker.FileName)));
    }
}
