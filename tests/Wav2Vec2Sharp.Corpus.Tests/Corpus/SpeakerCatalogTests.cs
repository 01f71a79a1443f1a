using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Tests.Corpus;

public sealed class SpeakerCatalogTests
{
    private static readonly TtsEngineInfo Espeak = new(TtsEngine.Espeak, "espeak-ng", "1.51",
        ["en-029", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-us", "en-us-nyc"], ["f1", "f2", "klatt", "m1", "m3"]);
    private static readonly TtsEngineInfo Flite = new(TtsEngine.Flite, "flite", "2.2", ["awb", "kal16", "rms", "slt"], []);
    private static readonly TtsEngineInfo Festival = new(TtsEngine.Festival, "text2wave", "2.5.0",
        ["cmu_us_slt_arctic_hts", "kal_diphone", "ked_diphone"], []);

    [Fact]
    public void Create_IsDeterministicForASeed()
    {
        var a = SpeakerCatalog.Create([Espeak, Flite, Festival], seed: 5);
        var b = SpeakerCatalog.Create([Festival, Espeak, Flite], seed: 5);
        Assert.Equal(a.TrainingSpeakers, b.TrainingSpeakers);
        Assert.Equal(a.UnseenSpeakers, b.UnseenSpeakers);
        Assert.Equal(a.UnseenVoices, b.UnseenVoices);

        var other = SpeakerCatalog.Create([Espeak, Flite, Festival], seed: 6);
        Assert.NotEqual(a.TrainingSpeakers.Select(s => s.Id), other.TrainingSpeakers.Select(s => s.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Create_NeverUsesAnUnseenVoiceOrItsRecordedPersonForTraining(int seed)
    {
        var catalog = SpeakerCatalog.Create([Espeak, Flite, Festival], seed);

        var trainingVoices = catalog.TrainingSpeakers.Select(s => s.VoiceId).ToHashSet();
        var unseenVoices = catalog.UnseenSpeakers.Select(s => s.VoiceId).ToHashSet();
        Assert.Empty(trainingVoices.Intersect(unseenVoices));
        Assert.Equal(unseenVoices.Order(), catalog.UnseenVoices.Order());
        // At least one voice of each engine is held out, and at least one is kept.
        foreach (var engine in new[] { TtsEngine.Espeak, TtsEngine.Flite, TtsEngine.Festival })
        {
            Assert.Contains(catalog.UnseenSpeakers, s => s.Engine == engine);
            Assert.Contains(catalog.TrainingSpeakers, s => s.Engine == engine);
        }
        Assert.Single(catalog.UnseenSpeakers.Where(s => s.Engine == TtsEngine.Espeak).Select(s => s.Voice).Distinct());
        // Kal and SLT are each recorded in both Flite and Festival: both or neither are unseen.
        Assert.Equal(unseenVoices.Contains("flite:kal16"), unseenVoices.Contains("festival:kal_diphone"));
        Assert.Equal(unseenVoices.Contains("flite:slt"), unseenVoices.Contains("festival:cmu_us_slt_arctic_hts"));
    }

    [Fact]
    public void Create_MakesDistinctSpeakersPerVoiceWithinTheRanges()
    {
        var catalog = SpeakerCatalog.Create([Espeak, Flite, Festival], seed: 1, new SpeakerCatalogOptions { SpeakersPerVoice = 3 });
        var all = catalog.TrainingSpeakers.Concat(catalog.UnseenSpeakers).ToArray();
        Assert.Equal(3 * (6 + 4 + 3), all.Length);
        Assert.Equal(all.Length, all.Select(s => s.Id).Distinct().Count());
        Assert.All(all, s =>
        {
            Assert.InRange(s.Pitch, 0.8, 1.25);
            Assert.InRange(s.Tempo, 0.85, 1.2);
            Assert.Equal(s.Engine == TtsEngine.Espeak, s.Variant is not null);
        });
        Assert.All(all.Where(s => s.Voice is "rms" or "cmu_us_slt_arctic_hts"), s => Assert.Equal(1.0, s.Pitch)); // they ignore pitch settings
        Assert.Contains(Espeak.Variants, v => all.Any(s => s.Variant == v));
    }

    [Fact]
    public void Create_HoldsOutWholeUnseenEngines()
    {
        var catalog = SpeakerCatalog.Create([Espeak, Flite], seed: 1,
            new SpeakerCatalogOptions { UnseenEngines = [TtsEngine.Flite], HeldOutVoicesPerEngine = 0 });
        Assert.All(catalog.TrainingSpeakers, s => Assert.Equal(TtsEngine.Espeak, s.Engine));
        Assert.All(catalog.UnseenSpeakers, s => Assert.Equal(TtsEngine.Flite, s.Engine));
        Assert.Equal(["flite:awb", "flite:kal16", "flite:rms", "flite:slt"], catalog.UnseenVoices);
    }

    [Fact]
    public void Create_KeepsTheOnlyVoiceOfAnEngineForTraining()
    {
        var single = new TtsEngineInfo(TtsEngine.Espeak, "espeak-ng", "1.51", ["en-us"], ["m1"]);
        var catalog = SpeakerCatalog.Create([single], seed: 1);
        Assert.Empty(catalog.UnseenSpeakers);
        Assert.Equal(4, catalog.TrainingSpeakers.Count);

        var e = Assert.Throws<CorpusException>(() => SpeakerCatalog.Create([single], 1, new SpeakerCatalogOptions { UnseenEngines = [TtsEngine.Espeak] }));
        Assert.Contains("No voice is left for training", e.Message);
    }

    [Fact]
    public void SpeakerId_NamesEverySetting()
    {
        Assert.Equal("espeak-en-gb-x-rp+m3-p0.90-t1.05", new Speaker(TtsEngine.Espeak, "en-gb-x-rp", "m3", 0.9, 1.05).Id);
        Assert.Equal("flite-slt-p1.10-t0.95", new Speaker(TtsEngine.Flite, "slt", null, 1.1, 0.95).Id);
        Assert.Equal("festival:kal_diphone", new Speaker(TtsEngine.Festival, "kal_diphone", null, 1, 1).VoiceId);
    }

    [Fact]
    public void EngineCommand_BuildsArgumentListsWithoutAShell()
    {
        var espeak = EngineCommand.For(TtsEngine.Espeak, new Speaker(TtsEngine.Espeak, "en-gb", "m3", 0.9, 1.05), "it's a test", "/o/a.wav");
        Assert.Equal(["-v", "en-gb+m3", "-p", "40", "-s", "184", "-w", "/o/a.wav", "it's a test"], espeak.Arguments);
        Assert.Null(espeak.StandardInput);

        var flite = EngineCommand.For(TtsEngine.Flite, new Speaker(TtsEngine.Flite, "slt", null, 1.1, 1.25), "hello there", "/o/b.wav");
        Assert.Equal(["-voice", "slt", "--setf", "duration_stretch=0.8", "--setf", "int_f0_target_mean=187", "-t", "hello there", "-o", "/o/b.wav"], flite.Arguments);
        var rms = EngineCommand.For(TtsEngine.Flite, new Speaker(TtsEngine.Flite, "rms", null, 1, 0.8), "hello there", "/o/c.wav");
        Assert.Equal(["-voice", "rms", "--setf", "duration_stretch=1.25", "-t", "hello there", "-o", "/o/c.wav"], rms.Arguments);

        var festival = EngineCommand.For(TtsEngine.Festival, new Speaker(TtsEngine.Festival, "kal_diphone", null, 1.2, 1), "good day to you", "/o/d.wav");
        Assert.Equal(["-o", "/o/d.wav", "-eval", "(voice_kal_diphone)", "-eval", "(Parameter.set 'Duration_Stretch 1)"], festival.Arguments.Take(6));
        Assert.Contains("(* 1.2 (car (cdr p)))", festival.Arguments[^1]);
        Assert.Equal("good day to you\n", festival.StandardInput);
    }

    [Fact]
    public void EngineProbe_ParsesTheEnginesListings()
    {
        const string espeakVoices = """
            Pty Language       Age/Gender VoiceName          File                 Other Languages
             2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
             3  en-uk           --/M      english-mb-en1     mb/mb-en1            (en-gb 3)(en 2)
             2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
             5  en-gb-scotland  --/M      English_(Scotland) gmw/en-GB-scotland   (en 4)
             5  en-us           --/F      us-mbrola-1        mb/mb-us1            (en 8)
             9  en              --/F      en-german-1        mb/mb-de1-en
             5  en-029          --/M      English_(Caribbean) gmw/en-029           (en 10)
            """;
        Assert.Equal(["en-029", "en-gb", "en-gb-scotland", "en-us"], EngineProbe.ParseEspeakVoices(espeakVoices));

        const string variants = """
            Pty Language       Age/Gender VoiceName          File                 Other Languages
             5  variant         --/M      Mr_Serious         !v/Mr serious
             5  variant         --/M      Storm              !v/Storm             (en-us 5)
             5  variant         70/F      female1            !v/f1
             5  variant         --/M      male3              !v/m3
            """;
        Assert.Equal(["Storm", "f1", "m3"], EngineProbe.ParseEspeakVariants(variants));
        Assert.Equal(["f1", "m3"], EngineProbe.ChooseVariants(["Storm", "f1", "m3"]));
        Assert.Equal(["Storm"], EngineProbe.ChooseVariants(["Storm"]));

        Assert.Equal(["awb", "kal16", "rms", "slt"], EngineProbe.ParseFliteVoices("Voices available: kal awb_time kal16 awb rms slt \n"));
        Assert.Equal(["kal"], EngineProbe.ParseFliteVoices("Voices available: kal awb_time\n"));

        Assert.Equal("eSpeak NG text-to-speech: 1.51", EngineProbe.ParseEspeakVersion("eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data\n"));
        Assert.Equal("flite-2.2-current Sep 2018", EngineProbe.ParseFliteVersion("  Carnegie Mellon University, Copyright (c) 1999-2016, all rights reserved\n  version: flite-2.2-current Sep 2018 (http://cmuflite.org)\n"));
        Assert.Equal("Festival Speech Synthesis System: 2.5.0:release December 2017",
            EngineProbe.ParseFestivalVersion("/usr/bin/festival: Festival Speech Synthesis System: 2.5.0:release December 2017\n"));
    }
}
