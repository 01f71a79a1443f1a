using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Divides the shuffled sentences between the splits and gives each split its speaker rotation.
/// </summary>
/// <remarks>
/// <para>Sentences are reserved from the front of the seeded shuffle in the order <c>test_unseen</c>, <c>test_seen</c>,
/// <c>dev</c>, then the labelled sets (one reservation shared by all, since they are nested), each reservation about twice
/// the sentences its duration needs (by <see cref="EstimateSeconds"/>) plus some slack, so <c>dev</c>, the test sets and
/// the labelled sets never share a sentence. The labelled sets may continue past their reservation into the rest.</para>
/// <para>The unlabelled audio speaks the rest, then the labelled reservation, and starts over when both are used up:
/// it never speaks a dev or test sentence but may repeat training sentences (with other speakers), which is harmless for
/// self-supervised pre-training.</para>
/// </remarks>
internal static class CorpusPlanner
{
    private const double ReserveFactor = 2.0;
    private const double ReserveSlackSeconds = 30;
    private const int MinReserve = 8;

    /// <summary>A rough duration of <paramref name="sentence"/> spoken at the default rate, in seconds.</summary>
    public static double EstimateSeconds(string sentence) => 0.3 + 0.062 * sentence.Length;

    /// <summary>The plans of the splits asked for, in the order they are to be made (evaluation sets, labelled sets largest first, unlabelled).</summary>
    /// <exception cref="CorpusException">The sentences are too few, or a test of unseen voices is asked for but no voice is held out.</exception>
    public static IReadOnlyList<SplitPlan> Plan(CorpusOptions options, SpeakerCatalog catalog, IReadOnlyList<string> shuffled, string sourceDescription)
    {
        int seed = options.Seed;
        int cursor = 0;
        double needed = 0;
        List<string> Reserve(string split, double seconds)
        {
            var reserved = new List<string>();
            double estimate = 0;
            double goal = ReserveFactor * seconds + ReserveSlackSeconds;
            needed += goal;
            while (estimate < goal || reserved.Count < MinReserve)
            {
                if (cursor == shuffled.Count)
                {
                    throw new CorpusException(
                        $"The {shuffled.Count} usable sentences of {sourceDescription} are too few for the splits asked for "
                        + $"(ran out while reserving sentences for {split}; the dev, test and labelled sets need about {needed / 60:0} minutes' worth "
                        + "of distinct sentences); give a larger text, or ask for fewer minutes.");
                }
                var sentence = shuffled[cursor++];
                reserved.Add(sentence);
                estimate += EstimateSeconds(sentence);
            }
            return reserved;
        }

        var plans = new List<SplitPlan>();
        double testSeconds = options.TestMinutes * 60;
        if (testSeconds > 0)
        {
            if (catalog.UnseenSpeakers.Count == 0)
            {
                throw new CorpusException(
                    "test_unseen needs a held-out voice, but no voice is held out (each engine has only one voice, or HeldOutVoicesPerEngine is 0); "
                    + "install another voice or engine, or set TestMinutes to 0.");
            }
            plans.Add(Evaluation(CorpusOptions.TestUnseenName, testSeconds, Reserve(CorpusOptions.TestUnseenName, testSeconds), catalog.UnseenSpeakers, seed, options));
            plans.Add(Evaluation(CorpusOptions.TestSeenName, testSeconds, Reserve(CorpusOptions.TestSeenName, testSeconds), catalog.TrainingSpeakers, seed, options));
        }
        if (options.DevMinutes > 0)
        {
            double devSeconds = options.DevMinutes * 60;
            plans.Add(Evaluation(CorpusOptions.DevName, devSeconds, Reserve(CorpusOptions.DevName, devSeconds), catalog.TrainingSpeakers, seed, options));
        }

        var labelled = options.LabelledSets.Where(s => s.Minutes > 0).OrderByDescending(s => s.Minutes).ThenBy(s => s.Name, StringComparer.Ordinal).ToArray();
        var labelledReserve = labelled.Length > 0 ? Reserve(labelled[0].Name, labelled[0].Minutes * 60) : [];
        var rest = shuffled.Skip(cursor).ToArray();
        if (labelled.Length > 0)
        {
            var sentences = labelledReserve.Concat(rest).ToArray();
            var speakers = Rotation(catalog.TrainingSpeakers, seed, "labelled");
            bool augment = options.Augmentation is not null;
            foreach (var set in labelled)
            {
                var copyFrom = set == labelled[0] ? null : labelled[0].Name;
                plans.Add(new SplitPlan(set.Name, CorpusSplitKind.Labelled, set.Minutes * 60, sentences, false, speakers, augment, copyFrom));
            }
        }
        if (options.UnlabelledHours > 0)
        {
            var sentences = rest.Concat(labelledReserve).ToArray();
            if (sentences.Length == 0)
            {
                throw new CorpusException(
                    $"No sentence of {sourceDescription} is left for the unlabelled audio after the dev and test sets; give a larger text, or ask for fewer minutes.");
            }
            plans.Add(new SplitPlan(CorpusOptions.UnlabelledName, CorpusSplitKind.Unlabelled, options.UnlabelledHours * 3600, sentences, true,
                Rotation(catalog.TrainingSpeakers, seed, CorpusOptions.UnlabelledName), options.Augmentation is not null, null));
        }
        return plans;
    }

    private static SplitPlan Evaluation(string name, double seconds, List<string> sentences, IReadOnlyList<Speaker> speakers, int seed, CorpusOptions options)
    {
        var kind = name == CorpusOptions.DevName ? CorpusSplitKind.Development : CorpusSplitKind.Test;
        bool augment = options.Augmentation is { AugmentEvaluation: true };
        return new SplitPlan(name, kind, seconds, sentences, false, Rotation(speakers, seed, name), augment, null);
    }

    /// <summary>A seeded permutation of <paramref name="speakers"/> for the split group <paramref name="group"/>.</summary>
    private static Speaker[] Rotation(IReadOnlyList<Speaker> speakers, int seed, string group)
    {
        var order = speakers.ToArray();
        SplitMix64.FromKeys(seed, 0x20A7, StableHash.Of(group)).Shuffle(order.AsSpan());
        return order;
    }
}
