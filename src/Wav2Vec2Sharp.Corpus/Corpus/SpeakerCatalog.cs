using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// The synthetic speakers of a corpus, split into training speakers and unseen speakers whose voices (or whole engines)
/// are never used for training. Deterministic: the same engines, voices, seed and options give the same catalog.
/// </summary>
/// <remarks>
/// <para>For each engine (in enum order) and each of its voices (in ordinal order),
/// <see cref="SpeakerCatalogOptions.SpeakersPerVoice"/> speakers are drawn from a generator seeded by the seed, the
/// engine and the voice: an eSpeak NG variant, a pitch of 0.80–1.25 and a tempo of 0.85–1.20 (in steps of 0.05);
/// drawing again until the speaker differs from the voice's others.</para>
/// <para><see cref="SpeakerCatalogOptions.HeldOutVoicesPerEngine"/> voices of each engine, chosen by a seeded shuffle of
/// its voices, are unseen; so are all voices of <see cref="SpeakerCatalogOptions.UnseenEngines"/>. A voice is held out
/// together with every voice of the same recorded person in other engines (Flite's <c>kal16</c> with Festival's
/// <c>kal_diphone</c>, Flite's <c>slt</c> with Festival's <c>cmu_us_slt_arctic_hts</c>), so an unseen voice is never heard in
/// training through another engine; this can hold out more voices of an engine than asked.</para>
/// </remarks>
public sealed class SpeakerCatalog
{
    private const int PitchSteps = 10;   // 0.80, 0.85, …, 1.25
    private const int TempoSteps = 8;    // 0.85, 0.90, …, 1.20
    private const int MaxDraws = 1000;

    private SpeakerCatalog(IReadOnlyList<TtsEngineInfo> engines, int seed, IReadOnlyList<Speaker> training, IReadOnlyList<Speaker> unseen, IReadOnlyList<string> unseenVoices)
    {
        Engines = engines;
        Seed = seed;
        TrainingSpeakers = training;
        UnseenSpeakers = unseen;
        UnseenVoices = unseenVoices;
    }

    /// <summary>The engines the speakers were made from.</summary>
    public IReadOnlyList<TtsEngineInfo> Engines { get; }

    /// <summary>The seed the catalog was made with.</summary>
    public int Seed { get; }

    /// <summary>Speakers whose voices may be used for training (and for the seen-speaker test set).</summary>
    public IReadOnlyList<Speaker> TrainingSpeakers { get; }

    /// <summary>Speakers whose voices are never used for training.</summary>
    public IReadOnlyList<Speaker> UnseenSpeakers { get; }

    /// <summary>The held-out voices, e.g. <c>espeak:en-gb-scotland</c> (see <see cref="Speaker.VoiceId"/>).</summary>
    public IReadOnlyList<string> UnseenVoices { get; }

    /// <summary>Probes the installed engines (all, or those in <paramref name="engines"/>) and makes their catalog.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="options">The settings; <see cref="SpeakerCatalogOptions.Default"/> when null.</param>
    /// <param name="engines">The engines to look for; all when null.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="CorpusException">No engine with an English voice is installed, or no voice is left for training.</exception>
    public static SpeakerCatalog Probe(int seed, SpeakerCatalogOptions? options = null, IEnumerable<TtsEngine>? engines = null)
    {
        var wanted = engines?.ToArray();
        var found = EngineProbe.Probe(wanted);
        if (found.Count == 0)
        {
            var names = wanted is null ? "espeak-ng, flite or festival" : string.Join(", ", wanted.Select(TtsEngineInfo.NameOf));
            throw new CorpusException(
                $"No text-to-speech engine with an English voice found (looked for {names} on the PATH); "
                + "install one, e.g. apt-get install espeak-ng flite festival festvox-kallpc16k.");
        }
        return Create(found, seed, options);
    }

    /// <summary>Makes the catalog of <paramref name="engines"/> (e.g. from a previous probe, or made up for a test).</summary>
    /// <param name="engines">The engines and their voices.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="options">The settings; <see cref="SpeakerCatalogOptions.Default"/> when null.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="CorpusException">No voice is left for training, or the options are out of range.</exception>
    public static SpeakerCatalog Create(IEnumerable<TtsEngineInfo> engines, int seed, SpeakerCatalogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engines);
        options ??= SpeakerCatalogOptions.Default;
        if (options.SpeakersPerVoice < 1)
            throw new CorpusException($"SpeakersPerVoice must be at least 1 (it is {options.SpeakersPerVoice}).");
        if (options.HeldOutVoicesPerEngine < 0)
            throw new CorpusException($"HeldOutVoicesPerEngine must not be negative (it is {options.HeldOutVoicesPerEngine}).");

        var infos = engines.OrderBy(e => e.Engine).ToArray();
        if (infos.Select(e => e.Engine).Distinct().Count() != infos.Length)
            throw new CorpusException("Each engine may be listed only once.");
        var heldOutDonors = HeldOutDonors(infos, seed, options);
        var training = new List<Speaker>();
        var unseen = new List<Speaker>();
        var unseenVoices = new List<string>();
        foreach (var info in infos)
        {
            foreach (var voice in info.Voices.Distinct().Order(StringComparer.Ordinal))
            {
                bool isUnseen = heldOutDonors.Contains(VoiceTraits.Donor(info.Engine, voice));
                var speakers = MakeSpeakers(info, voice, seed, options.SpeakersPerVoice);
                (isUnseen ? unseen : training).AddRange(speakers);
                if (isUnseen)
                    unseenVoices.Add($"{info.Name}:{voice}");
            }
        }
        if (training.Count == 0)
        {
            throw new CorpusException(
                "No voice is left for training speakers: every installed voice is held out as unseen. "
                + "Install another engine or voice, or hold out fewer (HeldOutVoicesPerEngine, UnseenEngines).");
        }
        return new SpeakerCatalog(infos, seed, training, unseen, unseenVoices);
    }

    /// <summary>
    /// The held-out donors (recorded people, see <see cref="VoiceTraits.Donor"/>): for each engine in turn, its voices' donors
    /// when it is an unseen engine, else enough of its voices (in a seeded order) that, with the voices already held out
    /// through a shared donor, <see cref="SpeakerCatalogOptions.HeldOutVoicesPerEngine"/> of them are held out, keeping one.
    /// </summary>
    private static HashSet<string> HeldOutDonors(TtsEngineInfo[] infos, int seed, SpeakerCatalogOptions options)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in infos)
        {
            var voices = info.Voices.Distinct().Order(StringComparer.Ordinal).ToArray();
            if (options.UnseenEngines.Contains(info.Engine))
            {
                held.UnionWith(voices.Select(v => VoiceTraits.Donor(info.Engine, v)));
                continue;
            }
            int wanted = Math.Min(options.HeldOutVoicesPerEngine, voices.Length - 1);
            int already = voices.Count(v => held.Contains(VoiceTraits.Donor(info.Engine, v)));
            var shuffled = voices.ToArray();
            SplitMix64.FromKeys(seed, 0x4E1D, (long)info.Engine).Shuffle(shuffled.AsSpan());
            foreach (var voice in shuffled)
            {
                if (already >= wanted)
                    break;
                if (held.Add(VoiceTraits.Donor(info.Engine, voice)))
                    already++;
            }
        }
        return held;
    }

    private static List<Speaker> MakeSpeakers(TtsEngineInfo info, string voice, int seed, int count)
    {
        var rng = SplitMix64.FromKeys(seed, 0x5BEA, (long)info.Engine, StableHash.Of(voice));
        bool pitch = VoiceTraits.SupportsPitch(info.Engine, voice);
        var variants = info.Engine == TtsEngine.Espeak ? info.Variants : [];
        var speakers = new List<Speaker>(count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int draw = 0; speakers.Count < count && draw < MaxDraws; draw++)
        {
            string? variant = variants.Count > 0 ? variants[rng.NextInt(variants.Count)] : null;
            double p = pitch ? Math.Round(0.80 + 0.05 * rng.NextInt(PitchSteps), 2) : 1.0;
            double t = Math.Round(0.85 + 0.05 * rng.NextInt(TempoSteps), 2);
            var speaker = new Speaker(info.Engine, voice, variant, p, t);
            if (ids.Add(speaker.Id))
                speakers.Add(speaker);
        }
        return speakers;
    }
}
