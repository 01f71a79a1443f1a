using Wav2Vec2Sharp.Decoding;

namespace Wav2Vec2Sharp.Tests.Timestamps;

/// <summary>Hand-made logits: each frame gives one named token a chosen logit and every other token 0.</summary>
internal static class SyntheticLogits
{
    public static readonly Vocabulary Letters = new(["<pad>", "<s>", "</s>", "<unk>", "|", "E", "H", "L", "O", "W", "R", "D"]);

    /// <summary>Frames written as space-separated tokens, <c>_</c> for the blank; a token may carry <c>:logit</c> (default 10).</summary>
    public static float[] Frames(string frames, out int count)
    {
        var items = frames.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        count = items.Length;
        var logits = new float[count * Letters.Count];
        for (int t = 0; t < count; t++)
        {
            var parts = items[t].Split(':');
            var token = parts[0] == "_" ? "<pad>" : parts[0];
            Assert.True(Letters.TryGetId(token, out int id), token);
            logits[t * Letters.Count + id] = parts.Length > 1 ? float.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 10f;
        }
        return logits;
    }

    /// <summary>Softmax probability of a token whose logit is <paramref name="logit"/> when the other 11 are 0.</summary>
    public static double Probability(double logit) => Math.Exp(logit) / (Math.Exp(logit) + Letters.Count - 1);
}
