namespace Wav2Vec2Sharp.Randomness;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator (the reference <c>splitmix64.c</c> by Vigna): a 64-bit state
/// advanced by the golden-ratio increment and scrambled by a fixed finaliser. Written out here, rather than using
/// <see cref="Random"/>, so that shuffles and crops are the same on every .NET version and platform.
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private ulong _state;

    /// <summary>Starts the generator at <paramref name="seed"/>, exactly as the reference implementation does.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>
    /// A generator for a tuple of keys, e.g. (seed, purpose, step, index): each key is folded into the state through
    /// the finaliser, so that neighbouring tuples give unrelated streams.
    /// </summary>
    public static SplitMix64 FromKeys(params ReadOnlySpan<long> keys)
    {
        ulong state = (ulong)keys.Length;
        foreach (long key in keys)
            state = Mix(state + Gamma + (ulong)key);
        return new SplitMix64(state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => Mix(_state += Gamma);

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong range = (ulong)exclusiveMax;
        ulong high = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
                high = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)high;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, from the end).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The SplitMix64 finaliser (a bijection on 64-bit values).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
