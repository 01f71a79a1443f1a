using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Demo;

public sealed class DemoLanguageModelTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "w2v-demo-lm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Sentences_spoken_in_the_evaluation_sets_never_reach_the_language_model()
    {
        var source = SentenceSource.FromTexts(
        [
            "The cat sat on the mat today.",
            "A dog barked at the moon all night.",
            "the cat sat on the mat today",
            "Green ideas sleep far too furiously here.",
        ]);

        var lm = DemoLanguageModel.Build(_folder, source, ["A dog barked at the moon, all night!"], TextNormalizer.Default, order: 3);

        Assert.Equal(2, lm.Sentences); // the duplicate counted once
        Assert.Equal(1, lm.HeldOutSentences);
        Assert.Equal(["THE CAT SAT ON THE MAT TODAY", "GREEN IDEAS SLEEP FAR TOO FURIOUSLY HERE"], File.ReadAllLines(lm.TextPath));
        var model = NGramLanguageModel.Load(lm.ArpaPath);
        Assert.Equal(3, model.Order);
        Assert.True(model.Contains("CAT"));
        Assert.False(model.Contains("DOG"));
        Assert.False(model.Contains("BARKED"));
    }
}
