using Wav2Vec2Sharp.Cli;
using Wav2Vec2Sharp.Cli.Commands;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.Tests.Audio;

namespace Wav2Vec2Sharp.Tests.Demo;

public sealed class DemoCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_demo_runs_the_digits_task_unless_told_otherwise()
    {
        var output = new StringWriter();

        int code = CliApp.Run(["demo", "--help"], output, new StringWriter());

        Assert.Equal(0, code);
        var help = output.ToString();
        Assert.Contains("[default: Digits]", help);
        Assert.Contains("--augment <RECIPE>", help);
    }

    [Fact]
    public void Digits_are_three_minutes_of_labels_into_demo_digits_and_sentences_ten_into_demo_output()
    {
        var digits = DemoCommand.OptionsOf(DemoTask.Digits, null, quick: false, pretrain: false, pretrained: null, augment: null);
        var sentences = DemoCommand.OptionsOf(DemoTask.Sentences, null, quick: false, pretrain: false, pretrained: null, augment: null);
        var quick = DemoCommand.OptionsOf(DemoTask.Digits, "/tmp/q", quick: true, pretrain: false, pretrained: null, augment: null);

        Assert.Equal((DemoTask.Digits, 3.0, 2, Path.GetFullPath("demo-digits")), (digits.Task, digits.LabelledMinutes, digits.LanguageModelOrder, digits.OutputDirectory));
        Assert.Equal((DemoTask.Sentences, 10.0, 4, Path.GetFullPath("demo-output")), (sentences.Task, sentences.LabelledMinutes, sentences.LanguageModelOrder, sentences.OutputDirectory));
        Assert.Equal((DemoTask.Digits, 3.0, 2, "/tmp/q", 40L), (quick.Task, quick.LabelledMinutes, quick.LanguageModelOrder, quick.OutputDirectory, quick.FineTuneUpdates));
        foreach (var options in new[] { digits, sentences, quick })
        {
            Assert.Equal([ChannelTest.Telephone, ChannelTest.Mp3, ChannelTest.Reverb, ChannelTest.Noise10], options.ChannelTests);
            Assert.True(options.Augmentation.IsEmpty);
        }
    }

    [Fact]
    public void Augment_takes_a_recipe_and_an_unknown_effect_is_refused_before_anything_is_made()
    {
        var options = DemoCommand.OptionsOf(DemoTask.Digits, "/tmp/a", quick: true, pretrain: false, pretrained: null, augment: "noise, Speed");
        var outDir = Path.Combine(_temp.Root, "demo");
        var error = new StringWriter();

        int code = CliApp.Run(["demo", "--quick", "--out", outDir, "--augment", "speed,echo"], new StringWriter(), error);

        Assert.Equal("speed,noise (p = 0.5 each)", options.Augmentation.Describe());
        Assert.Equal(1, code);
        Assert.Equal("error: Unknown augmentation 'echo'; known: speed, pitch, formant, eq, reverb, telephone, noise, babble, gain (each optionally ':p', its probability), 'default' (all but pitch, formant and eq), or 'none'."
            + Environment.NewLine, error.ToString());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Self_training_is_off_unless_given_hours_and_its_updates_follow_the_quick_switch_unless_given()
    {
        var off = DemoCommand.OptionsOf(DemoTask.Digits, "/tmp/s", quick: false, pretrain: false, pretrained: null, augment: null);
        var full = DemoCommand.OptionsOf(DemoTask.Digits, "/tmp/s", quick: false, pretrain: false, pretrained: null, augment: null, selfTrainingHours: 2);
        var quick = DemoCommand.OptionsOf(DemoTask.Digits, "/tmp/s", quick: true, pretrain: false, pretrained: null, augment: null, selfTrainingHours: 0.1);
        var given = DemoCommand.OptionsOf(DemoTask.Sentences, "/tmp/s", quick: false, pretrain: false, pretrained: null, augment: null, selfTrainingHours: 1, selfTrainingUpdates: 500);

        Assert.Equal(0.0, off.SelfTrainingHours);
        Assert.Equal((2.0, 3000L), (full.SelfTrainingHours, full.SelfTrainingUpdates));
        Assert.Equal((0.1, 40L), (quick.SelfTrainingHours, quick.SelfTrainingUpdates));
        Assert.Equal((1.0, 500L), (given.SelfTrainingHours, given.SelfTrainingUpdates));

        // the student's own augmentation, else the recipe of the other models
        var student = DemoCommand.OptionsOf(DemoTask.Digits, "/tmp/s", quick: false, pretrain: false, pretrained: null, augment: "speed", selfTrainingHours: 2,
            selfTrainingAugment: "reverb:0.5,noise");
        Assert.Equal(("speed (p = 0.5 each)", "reverb,noise (p = 0.5 each)"), (student.Augmentation.Describe(), student.StudentAugmentation.Describe()));
        Assert.Equal("speed (p = 0.5 each)", (student with { SelfTrainingAugmentation = null }).StudentAugmentation.Describe());
    }

    [Theory]
    [InlineData("--self-train", "-1", "error: --self-train must be between 0 and 20 hours, not -1.")]
    [InlineData("--self-train", "25", "error: --self-train must be between 0 and 20 hours, not 25.")]
    [InlineData("--self-train-updates", "500", "error: --self-train-updates needs --self-train HOURS.")]
    [InlineData("--self-train-augment", "noise", "error: --self-train-augment needs --self-train HOURS.")]
    [InlineData("--self-train-updates", "0", "error: --self-train-updates must be at least 1, not 0.")]
    public void Self_training_hours_or_updates_out_of_range_are_refused_before_anything_is_made(string option, string value, string message)
    {
        var outDir = Path.Combine(_temp.Root, "demo");
        var error = new StringWriter();

        int code = CliApp.Run(["demo", "--quick", "--out", outDir, option, value], new StringWriter(), error);

        Assert.Equal(1, code);
        Assert.Equal(message + Environment.NewLine, error.ToString());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Every_model_is_scored_on_the_clean_tests_then_the_four_channel_shifted_ones()
    {
        var sets = DemoPipeline.TestSets(DemoOptions.Digits("/tmp/d"));

        Assert.Equal(
        [
            ("seen speakers", "test_seen"), ("unseen speakers", "test_unseen"), ("seen, telephone", "test_seen_telephone"),
            ("seen, MP3 16 kb/s", "test_seen_mp3"), ("seen, reverberant", "test_seen_reverb"), ("seen, noise 10 dB", "test_seen_noise10"),
        ], sets);
        Assert.All(Enum.GetValues<ChannelTest>(), c => Assert.Equal(ChannelTestMaker.SplitName(c), DemoPipeline.ChannelTestSplit(c)));
        Assert.Equal([("seen speakers", "test_seen"), ("unseen speakers", "test_unseen")],
            DemoPipeline.TestSets(DemoOptions.Digits("/tmp/d") with { ChannelTests = [] }));
    }
}
