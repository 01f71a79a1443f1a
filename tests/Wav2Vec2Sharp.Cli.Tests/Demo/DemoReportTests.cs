using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Demo;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Plotting;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Tests.Demo;

public sealed class DemoReportTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    // What DemoPipeline.Run scores: each model on every test set, in the order of DemoPipeline.TestSets.
    private static List<DemoScore> Scores(DemoOptions options)
    {
        var scores = new List<DemoScore>();
        foreach (var (model, offset) in new[] { ("pretrained", 0.0), ("from scratch", 0.3) })
        {
            foreach (var ((name, _), i) in DemoPipeline.TestSets(options).Select((s, i) => (s, i)))
            {
                scores.Add(new DemoScore(model, name, 0.1 + offset + 0.05 * i, 0.05 + 0.01 * i, new ErrorCounts(80, 10 + i, 5, 2),
                    0.08 + offset + 0.05 * i, 0.04, new LanguageModelWeights(0.5, 1, 0.09, 0.04)));
            }
        }
        return scores;
    }

    [Fact]
    public void The_report_has_a_row_with_numbers_for_every_model_on_every_channel_test_and_states_the_augmentation()
    {
        var options = DemoOptions.Digits(_temp.Root) with { Augmentation = AugmentationRecipe.Parse("speed,noise") };
        var corpus = new CorpusResult(_temp.Root, Path.Combine(_temp.Root, "corpus", "corpus.json"), [], [], null!, TimeSpan.Zero, 0);
        var data = new FineTuningData(97, 180, 20, [], [], 0, new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A"]));
        var lm = new DemoLanguageModel(Path.Combine(_temp.Root, "lm", "2gram.arpa"), Path.Combine(_temp.Root, "lm", "lm_text.txt"), 2, 7000, 60);

        var markdown = DemoReport.Markdown(options, corpus, data, "models/small-pretrained", lm, Scores(options), [], TimeSpan.FromMinutes(2));

        var rows = markdown.Split('\n').Where(l => l.StartsWith("| pretrained |", StringComparison.Ordinal) || l.StartsWith("| from scratch |", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "| pretrained | seen speakers | 10.0 % | 5.0 % | 8.0 % | 4.0 % | 10 | 5 | 2 | 95 |",
            "| pretrained | unseen speakers | 15.0 % | 6.0 % | 13.0 % | 4.0 % | 11 | 5 | 2 | 96 |",
            "| pretrained | seen, telephone | 20.0 % | 7.0 % | 18.0 % | 4.0 % | 12 | 5 | 2 | 97 |",
            "| pretrained | seen, MP3 16 kb/s | 25.0 % | 8.0 % | 23.0 % | 4.0 % | 13 | 5 | 2 | 98 |",
            "| pretrained | seen, reverberant | 30.0 % | 9.0 % | 28.0 % | 4.0 % | 14 | 5 | 2 | 99 |",
            "| pretrained | seen, noise 10 dB | 35.0 % | 10.0 % | 33.0 % | 4.0 % | 15 | 5 | 2 | 100 |",
        ], rows.Take(6).Select(r => r.TrimEnd('\r')));
        Assert.Equal(12, rows.Count);
        Assert.Contains("| from scratch | seen, noise 10 dB | 65.0 % |", markdown);
        Assert.Contains("- augmentation of the training audio (every model, drawn anew every epoch): speed,noise (p = 0.5 each); dev and test audio are never augmented", markdown);
        Assert.Contains("MP3: a LAME round trip at 16 kb/s (`test_seen_mp3`)", markdown);
        Assert.Contains("pink noise at 10 dB SNR (`test_seen_noise10`)", markdown);
    }

    [Fact]
    public void Without_augmentation_the_report_says_none()
    {
        var options = DemoOptions.Digits(_temp.Root);
        var corpus = new CorpusResult(_temp.Root, Path.Combine(_temp.Root, "corpus", "corpus.json"), [], [], null!, TimeSpan.Zero, 0);
        var data = new FineTuningData(97, 180, 20, [], [], 0, new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A"]));

        var markdown = DemoReport.Markdown(options, corpus, data, "models/small-pretrained", null, Scores(options), [], TimeSpan.FromMinutes(2));

        Assert.Contains("- augmentation of the training audio (every model, drawn anew every epoch): none; dev and test audio are never augmented", markdown);
    }

    [Fact]
    public void With_self_training_the_report_states_the_pseudo_labels_their_error_rate_and_the_lm_held_out_text()
    {
        var options = DemoOptions.Digits(_temp.Root) with { SelfTrainingHours = 2, SelfTrainingUpdates = 3000 };
        var corpus = new CorpusResult(_temp.Root, Path.Combine(_temp.Root, "corpus", "corpus.json"), [], [], null!, TimeSpan.Zero, 0);
        var data = new FineTuningData(97, 180, 20, [], [], 0, new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A"]));
        var lm = new DemoLanguageModel(Path.Combine(_temp.Root, "lm", "2gram.arpa"), Path.Combine(_temp.Root, "lm", "lm_text.txt"), 2, 4000, 3500);
        var labels = new DemoPseudoLabels(Path.Combine(_temp.Root, DemoPipeline.SelfTrainingFolder, DemoSelfTraining.ManifestName), 3835, 3834, 7200,
            new ErrorCounts(9000, 300, 150, 50));

        var markdown = DemoReport.Markdown(options, corpus, data, "models/small-pretrained", lm, Scores(options), [], TimeSpan.FromMinutes(40), labels);

        Assert.Contains("1000 updates each; the self-trained model on these labels and the pretrained model's transcripts of 2.00 h of unlabelled speech, 3000 updates. Greedy", markdown);
        Assert.Contains("- self-training: the fine-tuned pretrained model (beam search with the LM and its dev-tuned weights) transcribed the 3835 clips of the unlabelled split " +
                        "(the seen speakers, none of the dev or test sentences) into `finetune_self_training/pseudo_labels.jsonl`; 3834 non-empty transcripts (2.00 h), " +
                        "whose word error rate against what the synthesiser spoke is 5.3 %; `pretrained + self-training` was fine-tuned from the same pretrained " +
                        "checkpoint, with the same recipe, on the labels and these transcripts together for 3000 updates", markdown);
        Assert.Contains("the 3500 strings spoken in the dev and test sets and in the unlabelled audio were removed", markdown);
        Assert.Contains("`finetune_pretrained/curves.png`, `finetune_self_training/curves.png`, `finetune_scratch/curves.png`", markdown);
        Assert.Contains("- augmentation of the training audio (every model, drawn anew every epoch): none;", markdown);

        var student = options with { SelfTrainingAugmentation = AugmentationRecipe.Parse("reverb:0.5") };
        var withStudentRecipe = DemoReport.Markdown(student, corpus, data, "models/small-pretrained", lm, Scores(options), [], TimeSpan.FromMinutes(40), labels);
        Assert.Contains("with the same recipe but augmentation reverb (p = 0.5 each), on the labels and these transcripts together for 3000 updates", withStudentRecipe);
        Assert.Contains("- augmentation of the training audio (the pretrained and from-scratch models, drawn anew every epoch): none;", withStudentRecipe);
    }

    [Fact]
    public void A_teacher_that_transcribed_nothing_is_reported_without_a_self_trained_model()
    {
        var options = DemoOptions.Digits(_temp.Root) with { SelfTrainingHours = 0.1 };
        var corpus = new CorpusResult(_temp.Root, Path.Combine(_temp.Root, "corpus", "corpus.json"), [], [], null!, TimeSpan.Zero, 0);
        var data = new FineTuningData(97, 180, 20, [], [], 0, new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A"]));
        var labels = new DemoPseudoLabels(Path.Combine(_temp.Root, DemoPipeline.SelfTrainingFolder, DemoSelfTraining.ManifestName), 195, 0, 0, new ErrorCounts(0, 0, 900, 0));

        var markdown = DemoReport.Markdown(options, corpus, data, "models/small-pretrained", null, Scores(options), [], TimeSpan.FromMinutes(4), labels);

        Assert.Contains("1000 updates each. Greedy", markdown);
        Assert.Contains("- self-training: the fine-tuned pretrained model gave none of the 195 clips of the unlabelled split a transcript, so no model was self-trained", markdown);
        Assert.Contains("`finetune_pretrained/curves.png`, `finetune_scratch/curves.png`", markdown);
    }

    [Fact]
    public void The_wer_chart_has_a_group_per_test_set_and_widens_for_six()
    {
        var options = DemoOptions.Digits(_temp.Root);
        var path = Path.Combine(_temp.Root, "wer.png");

        DemoPipeline.WerChart(options, Scores(options)).Save(path, width: DemoPipeline.WerChartWidth(options));

        var image = PngImage.Read(File.ReadAllBytes(path));
        Assert.Equal((960, 420), (image.Width, image.Height));
        Assert.Equal(640, DemoPipeline.WerChartWidth(options with { ChannelTests = [] }));
        Assert.Equal(1440, DemoPipeline.WerChartWidth(options with { SelfTrainingHours = 2 }));
    }
}
