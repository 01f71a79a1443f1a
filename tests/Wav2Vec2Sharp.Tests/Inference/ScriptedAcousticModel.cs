using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;

namespace Wav2Vec2Sharp.Tests.Inference;

/// <summary>
/// An acoustic model without a network: the first sample of each frame's hop holds the id of the token that frame
/// emits, and each frame's logits are one-hot on it, scored by the number of the <see cref="Run"/> call (1, 2, …) that
/// produced it (1 in a batch), so that stitched logits show which window each frame came from.
/// </summary>
internal sealed class ScriptedAcousticModel(Wav2Vec2Config config) : IAcousticModel
{
    public Wav2Vec2Config Config { get; } = config;

    /// <summary>Input lengths of the <see cref="Run"/> calls, in order.</summary>
    public List<int> Runs { get; } = [];

    /// <summary>Input lengths of each <see cref="RunBatch"/> call, in order.</summary>
    public List<int[]> Batches { get; } = [];

    public bool Disposed { get; private set; }

    public FrameLogits Run(float[] input)
    {
        Runs.Add(input.Length);
        return OneHot(input, Runs.Count);
    }

    public IReadOnlyList<FrameLogits> RunBatch(IReadOnlyList<float[]> inputs)
    {
        Batches.Add([.. inputs.Select(input => input.Length)]);
        return [.. inputs.Select(input => OneHot(input, 1))];
    }

    public void Dispose() => Disposed = true;

    /// <summary>Samples whose frames emit <paramref name="text"/>: each character (a space as the word delimiter) for three frames, then two blank frames.</summary>
    public float[] Speak(Vocabulary vocabulary, string text)
    {
        var tokens = text.SelectMany(c => Enumerable.Repeat(c == ' ' ? vocabulary.WordDelimiter : c.ToString(), 3).Concat([vocabulary.PadToken, vocabulary.PadToken]))
            .Select(token => vocabulary.TryGetId(token, out int id) ? id : throw new ArgumentException($"no token {token}"))
            .ToArray();
        int hop = Config.InputsToLogitsRatio;
        var samples = new float[tokens.Length * hop + Config.ReceptiveField - hop];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = tokens[Math.Min(i / hop, tokens.Length - 1)];
        return samples;
    }

    private FrameLogits OneHot(float[] input, float score)
    {
        int frames = (int)Config.OutputLength(input.Length), vocab = Config.VocabSize;
        var values = new float[frames * vocab];
        for (int t = 0; t < frames; t++)
            values[t * vocab + (int)input[t * Config.InputsToLogitsRatio]] = score;
        return new FrameLogits(values, frames, vocab);
    }
}
