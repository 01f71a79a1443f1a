using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Tests.Decoding;

/// <summary>Builds frame logits for decoder tests from a script of frames such as <c>"_ C/K:0.4 A | _"</c>.</summary>
internal static class CtcLogitsBuilder
{
    /// <summary>
    /// One frame per space-separated item: <c>X</c> gives token X probability <paramref name="peak"/>;
    /// <c>X:0.5/Y:0.4</c> gives each listed token its probability. <c>_</c> is the blank. The rest of each frame's
    /// mass is spread evenly over the other tokens. Logits are the log-probabilities.
    /// </summary>
    public static float[] Frames(Vocabulary vocabulary, string script, double peak = 0.9)
    {
        var items = script.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int vocab = vocabulary.Count;
        var logits = new float[items.Length * vocab];
        for (int t = 0; t < items.Length; t++)
        {
            var probabilities = new Dictionary<int, double>();
            foreach (var part in items[t].Split('/'))
            {
                var fields = part.Split(':');
                var token = fields[0] == "_" ? vocabulary.PadToken : fields[0];
                if (!vocabulary.TryGetId(token, out int id))
                    throw new ArgumentException($"no token {token}");
                probabilities[id] = fields.Length > 1 ? double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) : peak;
            }
            double rest = (1 - probabilities.Values.Sum()) / (vocab - probabilities.Count);
            for (int v = 0; v < vocab; v++)
                logits[t * vocab + v] = (float)Math.Log(probabilities.GetValueOrDefault(v, rest));
        }
        return logits;
    }

    /// <summary>Seeded random logits, N(0, <paramref name="scale"/>²) per entry.</summary>
    public static float[] Random(int frames, int vocab, int seed, double scale = 2)
    {
        var random = new Random(seed);
        var logits = new float[frames * vocab];
        for (int i = 0; i < logits.Length; i++)
            logits[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return logits;
    }

    /// <summary>log P(labelling | logits) by the CTC forward algorithm (all paths that collapse to it).</summary>
    public static double LabellingLogProbability(float[] logits, int frames, int vocab, IReadOnlyList<int> labels, int blank = 0)
    {
        int states = 2 * labels.Count + 1;
        int Label(int s) => s % 2 == 0 ? blank : labels[s / 2];
        double LogAdd(double a, double b) => double.IsNegativeInfinity(a) ? b : double.IsNegativeInfinity(b) ? a : Math.Max(a, b) + Math.Log(1 + Math.Exp(-Math.Abs(a - b)));
        var alpha = Enumerable.Repeat(double.NegativeInfinity, states).ToArray();
        for (int t = 0; t < frames; t++)
        {
            var row = logits.AsSpan(t * vocab, vocab);
            double norm = GreedyCtcDecoder.LogSumExp(row);
            var next = Enumerable.Repeat(double.NegativeInfinity, states).ToArray();
            for (int s = 0; s < states; s++)
            {
                double sum = t == 0 ? (s <= 1 ? 0 : double.NegativeInfinity) : alpha[s];
                if (t > 0 && s >= 1)
                    sum = LogAdd(sum, alpha[s - 1]);
                if (t > 0 && s >= 2 && s % 2 == 1 && Label(s) != Label(s - 2))
                    sum = LogAdd(sum, alpha[s - 2]);
                next[s] = sum + row[Label(s)] - norm;
            }
            alpha = next;
        }
        return states == 1 ? alpha[0] : LogAdd(alpha[states - 1], alpha[states - 2]);
    }
}
