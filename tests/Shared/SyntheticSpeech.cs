namespace Wav2Vec2Sharp.Tests.Support;

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
}
