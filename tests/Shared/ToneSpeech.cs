using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>
/// A learnable toy "language" for CTC tests: each letter is a 120 ms tone of its own pitch, words are separated by
/// 100 ms of silence. Deterministic for a seed.
/// </summary>
internal static class ToneSpeech
{
    public const string Letters = "ABCDE";

    public static float[] Say(string text)
    {
        var samples = new List<float>();
        void Silence(int ms) => samples.AddRange(new float[16 * ms]);
        Silence(60);
        foreach (var c in text)
        {
            if (c == ' ')
            {
                Silence(100);
                continue;
            }
            double frequency = 300 + 350 * Letters.IndexOf(c);
            for (int i = 0; i < 16 * 120; i++)
                samples.Add((float)(0.4 * Math.Sin(2 * Math.PI * frequency * i / 16000) * Math.Sin(Math.PI * i / (16 * 120))));
            Silence(20);
        }
        Silence(60);
        return [.. samples];
    }

    public static string RandomText(Random random) =>
        string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => new string(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Letters[random.Next(Letters.Length)]).ToArray())));

    /// <summary>Writes <paramref name="count"/> utterances as 16-bit WAVs and a JSONL manifest; returns the manifest path.</summary>
    public static string WriteJsonl(TempDir temp, string name, int count, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        Directory.CreateDirectory(Path.Combine(temp.Root, name));
        for (int i = 0; i < count; i++)
        {
            var text = RandomText(random);
            var samples = Say(text);
            var file = Path.Combine(name, $"{i:D3}.wav");
            File.WriteAllBytes(Path.Combine(temp.Root, file), new WavBuilder { Data = WavBuilder.Pcm16(samples) }.ToBytes());
            lines.Add($"{{\"audio_filepath\": \"{file}\", \"text\": \"{text.ToLowerInvariant()}\"}}");
        }
        var manifest = Path.Combine(temp.Root, name + ".jsonl");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }
}
