namespace Wav2Vec2Sharp.Audio.Effects;

/// <summary>ITU-T G.711 µ-law: 16-bit linear PCM to 8-bit codes (bias 0x84, clip 32635) and back.</summary>
internal static class MuLaw
{
    private const int Bias = 0x84;
    private const int Clip = 32635;

    /// <summary>Encodes a 16-bit sample as an 8-bit G.711 µ-law code.</summary>
    public static byte Encode(int sample)
    {
        int sign = 0;
        if (sample < 0)
        {
            sign = 0x80;
            sample = -sample;
        }
        if (sample > Clip)
            sample = Clip;
        sample += Bias;
        int exponent = 7;
        for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1)
            exponent--;
        int mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>Decodes an 8-bit G.711 µ-law code to a 16-bit sample.</summary>
    public static int Decode(byte code)
    {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + Bias) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? Bias - t : t - Bias;
    }

    /// <summary>Quantises a sample in [-1, 1] through an 8-bit µ-law code (16-bit scaling, clipped).</summary>
    public static float RoundTrip(float sample)
    {
        double scaled = Math.Round(Math.Clamp(sample, -1f, 1f) * 32767.0);
        return Decode(Encode((int)scaled)) / 32768f;
    }
}
