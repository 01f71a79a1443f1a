using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Tests.Corpus;

public sealed class CorpusPlannerTests
{
    private static readonly SpeakerCatalog Catalog = SpeakerCatalog.Create(CorpusFixtures.Engines, seed: 7);

    private static IReadOnlyList<SplitPlan> Plan(CorpusOptions options, int sentences = 2000) =>
        CorpusPlanner.Plan(options, Catalog, SentenceSource.FromTexts(CorpusFixtures.Sentences(sentences)).Shuffled(options.Seed), "fixture");

    [Fact]
    public void Plan_GivesDevTestAndTrainingDisjointSentences()
    {
        var options = CorpusFixtures.SmallOptions("/unused") with { DevMinutes = 1, TestMinutes = 1, UnlabelledHours = 0.5 };
        var plans = Plan(options).ToDictionary(p => p.Name);

        Assert.Equal(["test_unseen", "test_seen", "dev", "train_10s", "train_5s", "unlabelled"], Plan(options).Select(p => p.Name));
        string[] evaluation = ["dev", "test_seen", "test_unseen"];
        // Every sentence a split could ever speak (labelled sets may run past their reservation, so all of theirs).
        foreach (var a in evaluation)
        {
            foreach (var b in evaluation.Append("train_10s").Append("unlabelled").Where(b => b != a))
                Assert.Empty(plans[a].Sentences.Intersect(plans[b].Sentences));
        }
        Assert.Equal(plans["train_10s"].Sentences, plans["train_5s"].Sentences); // nested: same sequence
        Assert.Equal(plans["train_10s"].Speakers, plans["train_5s"].Speakers);
        Assert.Equal("train_10s", plans["train_5s"].CopyFrom);
        Assert.True(plans["unlabelled"].Cycle);
        Assert.False(plans["dev"].Cycle);
    }

    [Fact]
    public void Plan_UsesUnseenSpeakersOnlyForTestUnseen()
    {
        var plans = Plan(CorpusFixtures.SmallOptions("/unused"));
        var unseen = Catalog.UnseenSpeakers.ToHashSet();
        Assert.NotEmpty(unseen);
        foreach (var plan in plans)
        {
            if (plan.Name == "test_unseen")
                Assert.Equal(unseen.OrderBy(s => s.Id), plan.Speakers.OrderBy(s => s.Id));
            else
                Assert.Equal(Catalog.TrainingSpeakers.OrderBy(s => s.Id), plan.Speakers.OrderBy(s => s.Id));
        }
    }

    [Fact]
    public void Plan_IsDeterministicAndDependsOnTheSeed()
    {
        var options = CorpusFixtures.SmallOptions("/unused");
        var a = Plan(options);
        var b = Plan(options);
        Assert.Equal(a.Select(p => p.Sentences), b.Select(p => p.Sentences));
        Assert.Equal(a.Select(p => p.Speakers), b.Select(p => p.Speakers));
        var c = Plan(options with { Seed = 8 });
        Assert.NotEqual(a.First(p => p.Name == "dev").Sentences, c.First(p => p.Name == "dev").Sentences);
    }

    [Fact]
    public void Plan_LeavesOutSplitsOfZeroLength()
    {
        var options = CorpusFixtures.SmallOptions("/unused") with { UnlabelledHours = 0, TestMinutes = 0, LabelledSets = [new("train", 0.1), new("empty", 0)] };
        Assert.Equal(["dev", "train"], Plan(options).Select(p => p.Name));
    }

    [Fact]
    public void Plan_WithTooFewSentences_Throws()
    {
        var e = Assert.Throws<CorpusException>(() => Plan(CorpusFixtures.SmallOptions("/unused") with { DevMinutes = 60 }, sentences: 100));
        Assert.Contains("too few", e.Message);
    }

    [Fact]
    public void Plan_WithoutHeldOutVoices_CannotMakeTestUnseen()
    {
        var single = SpeakerCatalog.Create([new TtsEngineInfo(TtsEngine.Espeak, "espeak-ng", "1", ["en-us"], ["m1"])], seed: 1);
        var options = CorpusFixtures.SmallOptions("/unused");
        var e = Assert.Throws<CorpusException>(() =>
            CorpusPlanner.Plan(options, single, SentenceSource.FromTexts(CorpusFixtures.Sentences(500)).Shuffled(1), "fixture"));
        Assert.Contains("test_unseen needs a held-out voice", e.Message);
    }
}
