using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.Text;

/// <summary>
/// <c>--mode beam</c>: speed of CTC prefix beam search (width 100) with a 4-gram Kneser-Ney word LM built from a few
/// thousand sentences (Debian's fortunes when installed, else seeded synthetic text), on synthetic peaky logits shaped
/// like a 10 s clip of wav2vec2-base-960h (500 frames × 32 symbols).
/// </summary>
internal static class BeamBench
{
    private static readonly string[] Base960hVocabulary =
    [
        "<pad>", "<s>", "</s>", "<unk>", "|", "E", "T", "A", "O", "N", "I", "H", "S", "R", "D", "L", "U", "M", "W", "C",
        "F", "G", "Y", "P", "B", "V", "K", "'", "X", "J", "Q", "Z",
    ];

    public static void Run(Options options)
    {
        var vocabulary = new Vocabulary(Base960hVocabulary);
        var (sentences, source) = Sentences(5000, options.Seed);
        var clock = Stopwatch.StartNew();
        var builder = new KneserNeyBuilder(4);
        foreach (var sentence in sentences)
            builder.AddSentence(sentence);
        var lm = builder.Build().ToLanguageModel("bench");
        double buildSeconds = clock.Elapsed.TotalSeconds;

        int frames = (int)Math.Round(options.Seconds * 50);
        var (logits, spoken) = PeakyLogits(vocabulary, sentences, frames, options.Seed);
        var decoder = new BeamSearchCtcDecoder(vocabulary, lm, new BeamSearchOptions { BeamWidth = 100, Alpha = 0.5, Beta = 1.0 });
        string text = "";
        for (int i = 0; i < options.Warmup; i++)
            text = decoder.Decode(logits, frames)[0].Text;
        var times = new List<double>();
        for (int i = 0; i < options.Repeats; i++)
        {
            clock.Restart();
            text = decoder.Decode(logits, frames)[0].Text;
            times.Add(clock.Elapsed.TotalSeconds);
        }
        var sorted = times.Order().ToList();
        double median = sorted[sorted.Count / 2];
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp",
            ["mode"] = "beam",
            ["frames"] = frames,
            ["vocab"] = vocabulary.Count,
            ["beam_width"] = 100,
            ["lm_order"] = lm.Order,
            ["lm_ngrams"] = lm.Counts,
            ["lm_sentences"] = builder.Sentences,
            ["lm_text"] = source,
            ["lm_build_s"] = Math.Round(buildSeconds, 3),
            ["times_s"] = times.Select(t => Math.Round(t, 4)).ToArray(),
            ["median_s"] = median,
            ["audio_s_per_s"] = options.Seconds / median,
            ["wer_vs_spoken"] = Wav2Vec2Sharp.Evaluation.ErrorRates.WordErrorRate(spoken, text),
            ["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : null,
        }));
    }

    private static (List<string> Sentences, string Source) Sentences(int count, int seed)
    {
        const string folder = "/usr/share/games/fortunes";
        var sentences = new List<string>();
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.GetFiles(folder).Where(f => Path.GetExtension(f) is "").Order(StringComparer.Ordinal))
            {
                foreach (var line in File.ReadLines(file))
                {
                    var normalized = TextNormalizer.Default.Normalize(line);
                    if (normalized.Split(' ').Length >= 3 && normalized.All(c => c is ' ' or '\'' or (>= 'A' and <= 'Z')))
                        sentences.Add(normalized);
                    if (sentences.Count == count)
                        return (sentences, folder);
                }
            }
        }
        var random = new Random(seed);
        string[] words = ["THE", "A", "CAT", "DOG", "SAT", "RAN", "ON", "MAT", "LOG", "AND", "WITH", "BIG", "SMALL", "RED", "HOUSE", "TREE"];
        sentences.Clear();
        for (int i = 0; i < count; i++)
            sentences.Add(string.Join(' ', Enumerable.Range(0, random.Next(3, 12)).Select(_ => words[random.Next(words.Length)])));
        return (sentences, "synthetic");
    }

    // Sentences rendered as frames (each character 1–2 frames, blanks between), the spoken token scoring about
    // 8 nats above a N(0, 1) background, the way a trained model's logits peak.
    private static (float[] Logits, string Spoken) PeakyLogits(Vocabulary vocabulary, List<string> sentences, int frames, int seed)
    {
        var random = new Random(seed);
        var targets = new List<int>();
        var spoken = new List<string>();
        while (targets.Count < frames)
        {
            var sentence = sentences[random.Next(sentences.Count)];
            spoken.Add(sentence);
            foreach (var c in sentence + " ")
            {
                vocabulary.TryGetId(c == ' ' ? "|" : c.ToString(), out int id);
                for (int r = random.Next(1, 3); r > 0; r--)
                    targets.Add(id);
                targets.Add(vocabulary.BlankId);
            }
        }
        int vocab = vocabulary.Count;
        var logits = new float[frames * vocab];
        for (int t = 0; t < frames; t++)
        {
            for (int v = 0; v < vocab; v++)
                logits[t * vocab + v] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            logits[t * vocab + targets[t]] += 8;
        }
        // The reference is what the frames hold: whole sentences, the last one cut where the clip ends.
        var text = string.Join(' ', spoken);
        int characters = targets.Take(frames).Count(id => id == vocabulary.BlankId);
        return (logits, text[..Math.Min(text.Length, characters)].Trim());
    }
}
