using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Training;

/// <summary>Presets and recipes come from one registry that the library and the command line share.</summary>
public sealed class RecipeRegistryTests
{
    [Fact]
    public void Every_preset_has_an_architecture_and_a_pretraining_recipe_that_fit_each_other()
    {
        Assert.Equal(["small", "base", "large", "xls-r-300m"], Presets.Names);
        foreach (string name in Presets.Names)
        {
            var config = Presets.ByName(name);
            var recipe = PretrainingOptions.ForPreset(name);

            // Layer-norm feature encoders (large, XLS-R) are trained on normalised audio, group-norm ones on raw audio.
            Assert.Equal(config.FeatExtractNorm == "layer", recipe.Normalize);
            Assert.Same(recipe, recipe.Validate());
        }
        Assert.Equal(PretrainingOptions.Small, PretrainingOptions.ForPreset(" Small "));
        Assert.Equal(PretrainingOptions.Large, PretrainingOptions.ForPreset("xlsr"));
        Assert.Equal(Presets.XlsR300M.MaskTimeProb, Presets.ByName("XLSR").MaskTimeProb);   // the XLS-R geometry, not LARGE's
        Assert.Equal("xls-r-300m", Presets.CanonicalName(" XLSR "));
    }

    [Fact]
    public void Unknown_presets_and_recipes_are_named_with_the_known_ones()
    {
        Assert.Equal("unknown preset \"tiny\" (use small, base, large or xls-r-300m).",
            Assert.Throws<ConfigException>(() => PretrainingOptions.ForPreset("tiny")).Message);
        Assert.Equal("unknown preset \"tiny\" (use small, base, large or xls-r-300m).",
            Assert.Throws<ConfigException>(() => Presets.ByName("tiny")).Message);
        Assert.Equal("unknown recipe \"large\" (use small or base-10m).",
            Assert.Throws<ConfigException>(() => FineTuningOptions.ForRecipe("large")).Message);
    }

    [Fact]
    public void Every_fine_tuning_recipe_is_found_by_its_name_and_is_valid()
    {
        Assert.Equal(["small", "base-10m"], FineTuningOptions.RecipeNames);
        Assert.Equal(FineTuningOptions.Small, FineTuningOptions.ForRecipe("small"));
        Assert.Equal(FineTuningOptions.Base10Minutes, FineTuningOptions.ForRecipe("BASE10M"));
        foreach (string name in FineTuningOptions.RecipeNames)
        {
            var recipe = FineTuningOptions.ForRecipe(name);
            Assert.Same(recipe, recipe.Validate());
        }
    }
}
