using Wav2Vec2Sharp.Audio.Effects;

namespace Wav2Vec2Sharp.Tests.Audio.Effects;

public sealed class AugmentationRecipeTests
{
    private const int Rate = 16000;

    [Theory]
    [InlineData("default", "speed,reverb,telephone,noise,babble,gain (p = 0.5 each)")]
    [InlineData("all", "speed,reverb,telephone,noise,babble,gain (p = 0.5 each)")]
    [InlineData("speed,telephone,reverb,noise,babble,gain", "speed,reverb,telephone,noise,babble,gain (p = 0.5 each)")]
    [InlineData(" Noise , speed ", "speed,noise (p = 0.5 each)")]
    [InlineData("none", "none")]
    [InlineData("", "none")]
    public void Parse_GivesTheCanonicalDescription(string text, string expected)
    {
        var recipe = AugmentationRecipe.Parse(text);

        Assert.Equal(expected, recipe.Describe());
        Assert.Equal(expected == "none", recipe.IsEmpty);
    }

    [Fact]
    public void Parse_SameEffects_AreEqual()
    {
        Assert.Equal(AugmentationRecipe.Parse("gain,speed"), AugmentationRecipe.Parse("speed,gain"));
        Assert.Equal(AugmentationRecipe.None, AugmentationRecipe.Parse("none"));
        Assert.NotEqual(AugmentationRecipe.Parse("gain"), AugmentationRecipe.Parse("speed"));
    }

    [Fact]
    public void Parse_UnknownName_ListsTheKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => AugmentationRecipe.Parse("speed,echo"));

        Assert.Equal("Unknown augmentation 'echo'; known: speed, reverb, telephone, noise, babble, gain, or 'default' (all of them), or 'none'.", error.Message);
    }

    [Fact]
    public void Apply_SameSeed_SameOutput_DifferentSeeds_DifferentOutputs()
    {
        var input = Signals.Sine(2 * Rate, 300, Rate, amplitude: 0.3);
        var copy = (float[])input.Clone();
        var pool = Enumerable.Range(0, 8).Select(i => Signals.Sine(Rate, 150 + 50 * i, Rate)).ToArray();
        var recipe = AugmentationRecipe.Parse("default");

        var outputs = Enumerable.Range(0, 8).Select(seed => recipe.Apply(input, Rate, (ulong)seed, pool)).ToArray();

        Assert.Equal(copy, input);
        for (int seed = 0; seed < outputs.Length; seed++)
        {
            Assert.Equal(outputs[seed], recipe.Apply(input, Rate, (ulong)seed, pool));
            for (int other = 0; other < seed; other++)
                Assert.NotEqual(outputs[other], outputs[seed]);
        }
    }

    [Fact]
    public void Apply_ManySeeds_ChangeTheSignalMostOfTheTime()
    {
        var input = Signals.Sine(Rate, 300, Rate, amplitude: 0.3);
        var recipe = AugmentationRecipe.Parse("speed,reverb,telephone,noise,gain");

        int unchanged = Enumerable.Range(0, 64).Count(seed => recipe.Apply(input, Rate, (ulong)seed).AsSpan().SequenceEqual(input));

        // Untouched with probability 2/3 (speed off, or on at 1.0) · 1/16 (the other four off) = 1/24: about 3 of 64.
        Assert.InRange(unchanged, 0, 12);
    }

    [Fact]
    public void Apply_None_ReturnsAnIdenticalCopy()
    {
        var input = Signals.Sine(Rate, 300, Rate);

        var output = AugmentationRecipe.None.Apply(input, Rate, 123);

        Assert.Equal(input, output);
        Assert.NotSame(input, output);
    }

    [Fact]
    public void Apply_BabbleWithoutPool_IsSkipped()
    {
        var input = Signals.Sine(Rate, 300, Rate);

        var output = AugmentationRecipe.Parse("babble").Apply(input, Rate, 1, babblePool: null);

        Assert.Equal(input, output);
    }
}
