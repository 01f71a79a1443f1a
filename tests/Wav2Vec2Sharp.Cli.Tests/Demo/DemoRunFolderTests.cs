using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Demo;

public sealed class DemoRunFolderTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_fine_tuning_folder_is_not_resumed_with_another_augmentation()
    {
        var folder = Path.Combine(_temp.Root, "finetune_pretrained");
        Directory.CreateDirectory(folder);
        DemoRunFolder.CheckAugmentation(folder, AugmentationRecipe.Parse("noise")); // nothing there yet
        File.WriteAllText(Path.Combine(folder, FineTuningRun.OptionsFile), "{\"seed\": 1}"); // from before augmentation existed

        DemoRunFolder.CheckAugmentation(folder, AugmentationRecipe.None);
        var e = Assert.Throws<Wav2Vec2SharpException>(() => DemoRunFolder.CheckAugmentation(folder, AugmentationRecipe.Parse("noise")));

        Assert.Equal($"{folder} was fine-tuned with augmentation none; give another output folder for augmentation noise (p = 0.5 each).", e.Message);
    }

    [Fact]
    public void A_fine_tuning_folder_is_resumed_only_from_the_pretrained_weights_it_started_from()
    {
        var shipped = Model("shipped", config: "{\"hidden_size\": 256}", weights: [1, 2, 3]);
        var continued = Model("continued", config: "{\"hidden_size\": 256}", weights: [1, 2, 4]);
        var folder = Path.Combine(_temp.Root, "finetune_pretrained");

        Claim(folder, shipped, shipped); // a new run records where it starts
        StartRun(folder);
        Claim(folder, shipped, shipped); // and resumes from the same weights
        var e = Assert.Throws<Wav2Vec2SharpException>(() => Claim(folder, continued, continued));

        Assert.Equal($"{folder} holds a fine-tuning run from other starting weights than {continued}; give another output folder, or delete it to fine-tune again.", e.Message);
        Assert.Equal(DemoRunFolder.StartingWeights(shipped, shipped), File.ReadAllText(Path.Combine(folder, DemoRunFolder.StartFileName)));
    }

    [Fact]
    public void A_run_from_scratch_depends_on_the_architecture_only()
    {
        var shipped = Model("shipped", config: "{\"hidden_size\": 256}", weights: [1, 2, 3]);
        var continued = Model("continued", config: "{\"hidden_size\": 256}", weights: [1, 2, 4]);
        var wider = Model("wider", config: "{\"hidden_size\": 512}", weights: [1, 2, 3]);
        var folder = Path.Combine(_temp.Root, "finetune_scratch");
        Claim(folder, null, shipped);
        StartRun(folder);

        Claim(folder, null, continued);
        var e = Assert.Throws<Wav2Vec2SharpException>(() => Claim(folder, null, wider));

        Assert.Equal($"{folder} holds a fine-tuning run from other starting weights than scratch; give another output folder, or delete it to fine-tune again.", e.Message);
        File.WriteAllText(Path.Combine(continued, "preprocessor_config.json"), "{\"do_normalize\": true}");   // other input features
        Assert.Throws<Wav2Vec2SharpException>(() => Claim(folder, null, continued));
    }

    [Fact]
    public void A_run_that_did_not_record_its_start_is_not_resumed()
    {
        var shipped = Model("shipped", config: "{}", weights: [7]);
        var folder = Path.Combine(_temp.Root, "finetune_pretrained");
        StartRun(folder); // made before the demo recorded starting weights

        var e = Assert.Throws<Wav2Vec2SharpException>(() => Claim(folder, shipped, shipped));

        Assert.Equal($"{folder} holds a fine-tuning run that does not record its starting weights; give another output folder, or delete it to fine-tune again.", e.Message);
        Assert.False(File.Exists(Path.Combine(folder, DemoRunFolder.StartFileName)));
    }

    [Fact]
    public void The_weight_files_that_load_count_and_only_those()
    {
        var sharded = Model("sharded", config: "{}", weights: null);
        File.WriteAllText(Path.Combine(sharded, "model.safetensors.index.json"),
            "{\"weight_map\": {\"a\": \"part-1.safetensors\", \"b\": \"part-2.safetensors\", \"c\": \"part-1.safetensors\"}}");
        File.WriteAllBytes(Path.Combine(sharded, "part-1.safetensors"), [1]);
        File.WriteAllBytes(Path.Combine(sharded, "part-2.safetensors"), [2]);
        File.WriteAllText(Path.Combine(sharded, "README.md"), "notes");
        var before = DemoRunFolder.StartingWeights(sharded, sharded);

        File.WriteAllText(Path.Combine(sharded, "README.md"), "other notes");
        File.WriteAllBytes(Path.Combine(sharded, "pytorch_model.bin"), [9]);   // not loaded: the safetensors index comes first
        Assert.Equal(before, DemoRunFolder.StartingWeights(sharded, sharded));
        File.WriteAllBytes(Path.Combine(sharded, "part-2.safetensors"), [3]);
        Assert.NotEqual(before, DemoRunFolder.StartingWeights(sharded, sharded));

        var bin = Model("bin", config: "{}", weights: null);
        File.WriteAllBytes(Path.Combine(bin, "pytorch_model.bin"), [4]);
        var binStart = DemoRunFolder.StartingWeights(bin, bin);
        File.WriteAllBytes(Path.Combine(bin, "pytorch_model.bin"), [5]);
        Assert.NotEqual(binStart, DemoRunFolder.StartingWeights(bin, bin));
    }

    [Fact]
    public void Every_stale_folder_is_named_before_anything_trains()
    {
        var shipped = Model("shipped", config: "{\"hidden_size\": 256}", weights: [1, 2, 3]);
        var continued = Model("continued", config: "{\"hidden_size\": 256}", weights: [1, 2, 4]);
        string teacher = Path.Combine(_temp.Root, "finetune_pretrained"), student = Path.Combine(_temp.Root, "finetune_self_training"),
            scratch = Path.Combine(_temp.Root, "finetune_scratch");
        Claim(teacher, shipped, shipped);
        Claim(student, shipped, shipped);
        Claim(scratch, null, shipped);
        foreach (var folder in new[] { teacher, student, scratch })
            StartRun(folder);
        (string, string?)[] runs = [(teacher, continued), (student, continued), (scratch, null)];

        Check([(teacher, shipped), (student, shipped), (scratch, null)], shipped);
        var e = Assert.Throws<Wav2Vec2SharpException>(() => Check(runs, continued));

        Assert.Equal($"{teacher}, {student} hold fine-tuning runs from other starting weights than this demo's ({continued}), or from before the demo recorded them; " +
                     "give another output folder, or delete them to fine-tune again.", e.Message);
        Assert.Equal(DemoRunFolder.StartingWeights(shipped, shipped), File.ReadAllText(Path.Combine(teacher, DemoRunFolder.StartFileName)));   // checking writes nothing
    }

    // what the demo does: the start hashed once, then checked or recorded
    private static void Claim(string folder, string? pretrained, string architecture) =>
        DemoRunFolder.ClaimStartingWeights(folder, DemoRunFolder.StartingWeights(pretrained, architecture), pretrained ?? "scratch");

    private static void Check(IEnumerable<(string Folder, string? Pretrained)> runs, string pretrained) =>
        DemoRunFolder.CheckStartingWeights(runs.Select(r => (r.Folder, DemoRunFolder.StartingWeights(r.Pretrained, pretrained))), pretrained);

    private string Model(string name, string config, byte[]? weights)
    {
        var directory = Path.Combine(_temp.Root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), config);
        if (weights is not null)
            File.WriteAllBytes(Path.Combine(directory, "model.safetensors"), weights);
        return directory;
    }

    private static void StartRun(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FineTuningRun.OptionsFile), "{\"seed\": 1}");
    }
}
