using TorchSharp;
using Wav2Vec2Sharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Losses;

public sealed class PerplexityTests
{
    [Fact]
    public void Uniform_codeword_use_gives_the_codebook_size_per_group()
    {
        using var eighth = (1.0 / 8).ToScalar();
        using var probs = full(6, 2, 8, eighth); // (frames, G, V)

        using var perplexity = GumbelVectorQuantizer.Perplexity(probs, null);

        Assert.Equal(16.0, perplexity.item<float>(), 3);
    }

    [Fact]
    public void A_single_codeword_gives_one_per_group_and_masking_selects_frames()
    {
        var values = new float[4 * 2 * 4];
        for (int f = 0; f < 4; f++)
        {
            values[f * 8 + (f < 2 ? 0 : 1)] = 1;          // group 0: frames 0–1 pick entry 0, frames 2–3 entry 1
            values[f * 8 + 4 + 2] = 1;                      // group 1: always entry 2
        }
        using var probs = tensor(values, [4, 2, 4]);
        using var firstTwo = tensor(new[] { true, true, false, false }, [2, 2]);

        using var all = GumbelVectorQuantizer.Perplexity(probs, null);
        using var masked = GumbelVectorQuantizer.Perplexity(probs, firstTwo);

        Assert.Equal(2.0 + 1.0, all.item<float>(), 4);   // exp(ln 2) + exp(0)
        Assert.Equal(1.0 + 1.0, masked.item<float>(), 4);
    }
}
