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
    [InlineData("formant,speed", "speed,formant (p = 0.5 each)")]
    [InlineData("formant:0.8, speed:0.25,gain:0.5", "speed:0.25,formant:0.8,gain (p = 0.5 unless given)")]
    [InlineData("default:0.2,formant:1", "speed:0.2,formant:1,reverb:0.2,telephone:0.2,noise:0.2,babble:0.2,gain:0.2 (p = 0.5 unless given)")]
    [InlineData("formant,pitch:0.3,speed", "speed,pitch:0.3,formant (p = 0.5 unless given)")]
    [InlineData("noise,eq:0.4,formant", "formant,eq:0.4,noise (p = 0.5 unless given)")]
    public void Parse_GivesTheCanonicalDescription(string text, string expected)
    {
        var recipe = AugmentationRecipe.Parse(text);

        Assert.Equal(expected, recipe.Describe());
        Assert.Equal(expected == "none", recipe.IsEmpty);
        Assert.Equal(recipe, AugmentationRecipe.Parse(recipe.Describe().Split('(')[0]));
    }

    [Theory]
    [InlineData("noise@0..15", "noise@0..15 (p = 0.5 each)")]
    [InlineData("noise:0.3@ 0 .. 15 ,reverb@-5..5", "reverb@-5..5,noise:0.3@0..15 (p = 0.5 unless given)")]
    [InlineData("babble@2.5..10,speed", "speed,babble@2.5..10 (p = 0.5 each)")]
    [InlineData("noise@5..30,reverb@0..10,babble@5..20", "reverb,noise,babble (p = 0.5 each)")]
    [InlineData("noise@0..15,noise:0.4", "noise:0.4@0..15 (p = 0.5 unless given)")]
    [InlineData("noise@10..10", "noise@10..10 (p = 0.5 each)")]
    public void Parse_Ranges_AreDescribedWhenNotTheDefault(string text, string expected)
    {
        var recipe = AugmentationRecipe.Parse(text);

        Assert.Equal(expected, recipe.Describe());
        Assert.Equal(recipe, AugmentationRecipe.Parse(recipe.Describe().Split('(')[0]));
        Assert.Equal(recipe.GetHashCode(), AugmentationRecipe.Parse(recipe.Describe().Split('(')[0]).GetHashCode());
    }

    [Theory]
    [InlineData("noise@5", "the range after '@' must be 'low..high' in dB, two numbers from -30 to 100 with low <= high (written after the probability, as noise:0.5@0..15).")]
    [InlineData("noise@15..0", "the range after '@' must be 'low..high' in dB, two numbers from -30 to 100 with low <= high (written after the probability, as noise:0.5@0..15).")]
    [InlineData("babble:0.5@a..b", "the range after '@' must be 'low..high' in dB, two numbers from -30 to 100 with low <= high (written after the probability, as noise:0.5@0..15).")]
    [InlineData("reverb@0..Infinity", "the range after '@' must be 'low..high' in dB, two numbers from -30 to 100 with low <= high (written after the probability, as noise:0.5@0..15).")]
    [InlineData("speed@0..1", "only reverb, noise and babble take a range ('@low..high', in dB).")]
    [InlineData("default@0..1", "only reverb, noise and babble take a range ('@low..high', in dB).")]
    [InlineData("noise@-40..0", "the range after '@' must be 'low..high' in dB, two numbers from -30 to 100 with low <= high (written after the probability, as noise:0.5@0..15).")]
    [InlineData("noise@0..15:0.5", "the range after '@' must be 'low..high' in dB, two numbers from -30 to 100 with low <= high (written after the probability, as noise:0.5@0..15).")]
    public void Parse_BadRange_IsRefused(string text, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => AugmentationRecipe.Parse(text));

        Assert.Equal($"Augmentation '{text}': {reason}", error.Message);
    }

    [Fact]
    public void Parse_UnknownNameWithARange_IsAnUnknownName()
    {
        var error = Assert.Throws<ArgumentException>(() => AugmentationRecipe.Parse("nosie@0..5"));

        Assert.StartsWith("Unknown augmentation 'nosie@0..5'; known: speed,", error.Message);
    }

    [Fact]
    public void Parse_DifferentRanges_AreNotEqual()
    {
        Assert.NotEqual(AugmentationRecipe.Parse("noise"), AugmentationRecipe.Parse("noise@0..15"));
        Assert.NotEqual(AugmentationRecipe.Parse("reverb@-5..5"), AugmentationRecipe.Parse("reverb@-5..6"));
        Assert.Equal(AugmentationRecipe.Parse("noise"), AugmentationRecipe.Parse("noise@5..30"));
    }

    [Fact]
    public void Apply_NoiseRange_SetsTheSignalToNoiseRatio()
    {
        var input = Signals.Sine(Rate, 300, Rate, amplitude: 0.3);
        double signalPower = input.Average(x => (double)x * x);

        foreach (double snr in new[] { 0.0, 20.0 })
        {
            var recipe = AugmentationRecipe.Parse(FormattableString.Invariant($"noise:1@{snr}..{snr}"));
            for (ulong seed = 0; seed < 5; seed++)
            {
                float[] output = recipe.Apply(input, Rate, seed);
                double noisePower = output.Zip(input, (y, x) => (double)(y - x) * (y - x)).Average();

                Assert.Equal(snr, 10 * Math.Log10(signalPower / noisePower), 0.01);
            }
        }
    }

    [Fact]
    public void Apply_DefaultRanges_DrawAsRecipesWithoutRanges()
    {
        var input = Signals.Sine(Rate, 300, Rate, amplitude: 0.3);
        var pool = Enumerable.Range(0, 8).Select(i => Signals.Sine(Rate, 150 + 50 * i, Rate)).ToArray();
        var plain = AugmentationRecipe.Parse("reverb:1,noise,babble");
        var ranged = AugmentationRecipe.Parse("reverb:1@0..10,noise@5..30,babble@5..20");
        var harder = AugmentationRecipe.Parse("reverb:1@-5..5,noise@0..15,babble@0..15");

        for (ulong seed = 0; seed < 6; seed++)
        {
            Assert.Equal(plain.Apply(input, Rate, seed, pool), ranged.Apply(input, Rate, seed, pool));
            Assert.NotEqual(plain.Apply(input, Rate, seed, pool), harder.Apply(input, Rate, seed, pool));
        }
    }

    [Fact]
    public void Apply_DefaultRecipe_DrawsAsBeforeRangesExisted()
    {
        // The FNV-1a hash of the float bits of `default` over seeds 0..5 with a babble pool, taken from the code before
        // reverb, noise and babble took ranges: default ranges must keep every draw bitwise.
        var input = Signals.Sine(Rate / 2, 300, Rate, amplitude: 0.3);
        var pool = Enumerable.Range(0, 8).Select(i => Signals.Sine(Rate / 2, 150 + 50 * i, Rate)).ToArray();
        var recipe = AugmentationRecipe.Parse("default:0.8");
        ulong hash = 14695981039346656037;
        for (ulong seed = 0; seed < 6; seed++)
            foreach (float x in recipe.Apply(input, Rate, seed, pool))
                hash = (hash ^ BitConverter.SingleToUInt32Bits(x)) * 1099511628211;

        Assert.Equal(15060539051670576792UL, hash);
    }

    [Theory]
    [InlineData("speed:0")]
    [InlineData("speed:1.5")]
    [InlineData("speed:x")]
    [InlineData("speed:")]
    public void Parse_BadProbability_IsRefused(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => AugmentationRecipe.Parse(text));

        Assert.Equal($"Augmentation '{text}': the probability after ':' must be a number in (0, 1].", error.Message);
    }

    [Fact]
    public void Effects_ListsTheNamesInTheOrderOfApplication()
    {
        Assert.Equal(["speed", "formant", "babble"], AugmentationRecipe.Parse("babble,formant:0.9,speed").Effects);
        Assert.Equal(["pitch", "gain"], AugmentationRecipe.Parse("gain,pitch").Effects);
        Assert.Equal(["formant", "eq", "reverb"], AugmentationRecipe.Parse("reverb,eq,formant").Effects);
        Assert.Empty(AugmentationRecipe.None.Effects);
    }

    [Fact]
    public void Apply_ProbabilityOne_AlwaysFires_AndChannelRecipesDrawAsBefore()
    {
        var input = Signals.Sine(Rate, 300, Rate, amplitude: 0.3);
        var always = AugmentationRecipe.Parse("gain:1");
        var half = AugmentationRecipe.Parse("gain");

        int changed = Enumerable.Range(0, 20).Count(seed => !always.Apply(input, Rate, (ulong)seed).SequenceEqual(input));
        int changedHalf = Enumerable.Range(0, 20).Count(seed => !half.Apply(input, Rate, (ulong)seed).SequenceEqual(input));

        Assert.Equal(20, changed);
        Assert.InRange(changedHalf, 4, 16);
        // A recipe that names formant or eq draws them between speed and reverb; one that does not, draws exactly as before.
        Assert.Equal(AugmentationRecipe.Parse("speed,reverb").Apply(input, Rate, 7), AugmentationRecipe.Parse("reverb,speed:0.5").Apply(input, Rate, 7));
        Assert.Equal(20, Enumerable.Range(0, 20).Count(seed => !AugmentationRecipe.Parse("eq:1").Apply(input, Rate, (ulong)seed).SequenceEqual(input)));
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

        Assert.Equal("Unknown augmentation 'echo'; known: speed, pitch, formant, eq, reverb, telephone, noise, babble, gain (each optionally ':p', its probability), 'default' (all but pitch, formant and eq), or 'none'.", error.Message);
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
