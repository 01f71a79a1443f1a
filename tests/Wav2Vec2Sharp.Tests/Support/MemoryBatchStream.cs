using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>Cycles through fixed batches; an epoch is one pass. Opening at (epoch, position) resumes exactly.</summary>
internal sealed class MemoryBatchStream(IReadOnlyList<AudioBatch> batches, int epoch = 0, int position = 0) : IBatchStream
{
    public int Epoch { get; private set; } = epoch;

    public int Position { get; private set; } = position;

    public int Served { get; private set; }

    public AudioBatch Next()
    {
        if (Position == batches.Count)
        {
            Epoch++;
            Position = 0;
        }
        Served++;
        return batches[Position++];
    }

    public void Skip()
    {
        if (Position == batches.Count)
        {
            Epoch++;
            Position = 0;
        }
        Position++;
    }

    public void Dispose() { }
}

/// <summary>Deterministic speech-like test audio: voiced segments of gliding harmonics separated by noise bursts.</summary>
internal static class SyntheticSpeech
{
    public static float[] Clip(int samples, int seed)
    {
        var random = new Random(seed);
        var x = new float[samples];
        int t = 0;
        while (t < samples)
        {
            int length = Math.Min(samples - t, random.Next(1200, 4000));
            bool voiced = random.NextDouble() < 0.7;
            double f0 = 90 + 160 * random.NextDouble(), glide = (random.NextDouble() - 0.5) * 60, phase = 0;
            double formant = 1 + random.Next(0, 6);
            for (int i = 0; i < length; i++, t++)
            {
                double env = Math.Sin(Math.PI * i / length);
                if (voiced)
                {
                    phase += 2 * Math.PI * (f0 + glide * i / length) / 16000;
                    double v = 0;
                    for (int h = 1; h <= 8; h++)
                        v += Math.Sin(h * phase) / (1 + Math.Abs(h - formant));
                    x[t] = (float)(0.2 * env * v);
                }
                else
                    x[t] = (float)(0.05 * env * (random.NextDouble() * 2 - 1));
            }
        }
        return x;
    }

    public static AudioBatch Batch(int clips, int samples, int seed)
    {
        var data = new float[clips * samples];
        for (int c = 0; c < clips; c++)
            Clip(samples, seed * 1000 + c).CopyTo(data, c * samples);
        return new AudioBatch(data, clips, samples);
    }
}
