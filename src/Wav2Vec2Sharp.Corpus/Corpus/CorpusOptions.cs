namespace Wav2Vec2Sharp.Corpus;

/// <summary>What <see cref="CorpusSynthesizer"/> makes, and how.</summary>
/// <example>
/// <code>
/// var result = CorpusSynthesizer.Synthesize(new CorpusOptions { OutputDirectory = "data/tts", Seed = 1 });
/// </code>
/// </example>
public sealed record CorpusOptions
{
    /// <summary>The split name of the pre-training audio.</summary>
    public const string UnlabelledName = "unlabelled";

    /// <summary>The split name of the development set.</summary>
    public const string DevName = "dev";

    /// <summary>The split name of the test set spoken by training speakers.</summary>
    public const string TestSeenName = "test_seen";

    /// <summary>The split name of the test set spoken by unseen (held-out) voices.</summary>
    public const string TestUnseenName = "test_unseen";

    /// <summary>The folder the corpus is written to (created if needed); one split folder and its manifests per split, and <c>corpus.json</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The seed of every random choice (sentence order, speakers, unseen voices, augmentation); 1 by default.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Hours of pre-training audio (<c>unlabelled/</c>); 1.0 by default; 0 leaves the split out.</summary>
    public double UnlabelledHours { get; init; } = 1.0;

    /// <summary>
    /// The labelled training sets; by default <c>train_10min</c> (10 minutes) and <c>train_1h</c> (60 minutes). They are
    /// nested: each is a prefix of the same sequence of (sentence, speaker) utterances, so a smaller set is a subset of a
    /// larger one (its files are copied from the larger set's folder, not synthesised again).
    /// </summary>
    public IReadOnlyList<LabelledSet> LabelledSets { get; init; } = [new("train_10min", 10), new("train_1h", 60)];

    /// <summary>Minutes of the development set (<c>dev/</c>); 5 by default; 0 leaves it out.</summary>
    public double DevMinutes { get; init; } = 5;

    /// <summary>Minutes of each test set (<c>test_seen/</c> and <c>test_unseen/</c>); 5 by default; 0 leaves both out.</summary>
    public double TestMinutes { get; init; } = 5;

    /// <summary>
    /// Channel-shift test sets made from <c>test_seen</c> after it is done, one per channel (<c>test_seen_telephone</c>,
    /// <c>test_seen_mp3</c>, <c>test_seen_reverb</c>, <c>test_seen_noise10</c>): the same utterances and texts through
    /// another channel, for evaluation only; none by default. They need <see cref="TestMinutes"/> above 0, and
    /// <see cref="ChannelTest.Mp3"/> needs LAME (<c>lame</c>) on the PATH.
    /// </summary>
    public IReadOnlyList<ChannelTest> ChannelTests { get; init; } = [];

    /// <summary>The LAME program for <see cref="ChannelTest.Mp3"/>: a name looked up on the PATH, or a path (tests change it).</summary>
    internal string LameProgram { get; init; } = "lame";

    /// <summary>Random speed, gain and noise changes per utterance; <see langword="null"/> (the default) for clean audio.</summary>
    public AugmentationOptions? Augmentation { get; init; }

    /// <summary>How many utterances are synthesised at once (engine processes running in parallel); <see cref="Environment.ProcessorCount"/> by default.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The sentences to speak; <see cref="SentenceSource.FromSystem"/> (Debian's fortunes and WordNet) when null.</summary>
    public SentenceSource? Sentences { get; init; }

    /// <summary>The engines to use; every installed one when null.</summary>
    public IReadOnlyList<TtsEngine>? Engines { get; init; }

    /// <summary>How speakers are made from voices and which voices are held out.</summary>
    public SpeakerCatalogOptions Speakers { get; init; } = SpeakerCatalogOptions.Default;

    /// <summary>How long one engine run may take before it is stopped and the sentence skipped; 60 s by default.</summary>
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options.</summary>
    /// <exception cref="CorpusException">A value is out of range or a labelled set's name is unusable.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new CorpusException("The output folder of the corpus must be given.");
        CheckAmount("UnlabelledHours", UnlabelledHours);
        CheckAmount("DevMinutes", DevMinutes);
        CheckAmount("TestMinutes", TestMinutes);
        if (Parallelism < 1)
            throw new CorpusException($"Parallelism must be at least 1 (it is {Parallelism}).");
        if (EngineTimeout <= TimeSpan.Zero)
            throw new CorpusException("EngineTimeout must be positive.");
        ArgumentNullException.ThrowIfNull(LabelledSets);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { UnlabelledName, DevName, TestSeenName, TestUnseenName };
        ArgumentNullException.ThrowIfNull(ChannelTests);
        foreach (var channel in ChannelTests)
        {
            if (!Enum.IsDefined(channel))
                throw new CorpusException($"Unknown channel test {channel}.");
            names.Add(ChannelTestMaker.SplitName(channel));
        }
        if (ChannelTests.Count > 0 && TestMinutes == 0)
            throw new CorpusException("The channel test sets are made from test_seen, so TestMinutes must be above 0 when channel tests are asked for.");
        foreach (var set in LabelledSets)
        {
            ArgumentNullException.ThrowIfNull(set);
            if (string.IsNullOrEmpty(set.Name) || !set.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new CorpusException($"The labelled set name '{set.Name}' must be letters, digits, '_' and '-' only.");
            if (!names.Add(set.Name))
                throw new CorpusException($"The labelled set name '{set.Name}' is used twice or clashes with a built-in split.");
            CheckAmount($"the minutes of {set.Name}", set.Minutes);
        }
        Augmentation?.Validate();
    }

    private static void CheckAmount(string name, double value)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            throw new CorpusException($"{name} must be a finite number of zero or more (it is {value}).");
    }
}
