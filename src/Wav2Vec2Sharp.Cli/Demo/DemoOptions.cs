using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Corpus;

namespace Wav2Vec2Sharp.Demo;

/// <summary>Sizes and switches of the end-to-end demonstration (<c>w2v demo</c>).</summary>
public sealed record DemoOptions
{
    /// <summary>Everything is written under this folder; the corpus in it is reused by later runs.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// What the speech says: open-vocabulary sentences (the default of this record, whose other defaults are sized for
    /// them) or connected digits (see <see cref="Digits"/>, which <c>w2v demo</c> runs unless given <c>--task sentences</c>).
    /// </summary>
    public DemoTask Task { get; init; } = DemoTask.Sentences;

    /// <summary>How many distinct digit strings the <see cref="DemoTask.Digits"/> task draws its utterances from.</summary>
    public int DigitStrings { get; init; } = 8000;

    /// <summary>Seed of corpus, training and masking.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Hours of unlabelled speech synthesised for pretraining.</summary>
    public double UnlabelledHours { get; init; } = 1.0;

    /// <summary>Minutes of transcribed speech for fine-tuning (the paper's smallest split is 10).</summary>
    public double LabelledMinutes { get; init; } = 10;

    /// <summary>Minutes of the dev set and of each test set.</summary>
    public double EvaluationMinutes { get; init; } = 4;

    /// <summary>
    /// The channel-shift test sets the corpus makes from the seen-speaker test set, on which every model is evaluated
    /// too (never trained or selected on): all four by default. <see cref="ChannelTest.Mp3"/> needs LAME (<c>lame</c>).
    /// </summary>
    public IReadOnlyList<ChannelTest> ChannelTests { get; init; } = [ChannelTest.Telephone, ChannelTest.Mp3, ChannelTest.Reverb, ChannelTest.Noise10];

    /// <summary>
    /// On-the-fly augmentation of the training audio of every fine-tuning run (<see cref="Training.FineTuningOptions.Augmentation"/>);
    /// none by default. Dev and test audio are never augmented.
    /// </summary>
    public AugmentationRecipe Augmentation { get; init; } = AugmentationRecipe.None;

    /// <summary>Pretrained model to fine-tune; when null the demo pretrains one (or uses <see cref="ShippedModel"/> if it exists).</summary>
    public string? PretrainedModel { get; init; }

    /// <summary>A pretrained checkpoint that ships with the repository, used unless <see cref="Pretrain"/> is set.</summary>
    public string? ShippedModel { get; init; }

    /// <summary>Pretrain even when a shipped model exists.</summary>
    public bool Pretrain { get; init; }

    /// <summary>Pretraining updates.</summary>
    public long PretrainUpdates { get; init; } = 2000;

    /// <summary>Fine-tuning updates of each model (pretrained and from scratch).</summary>
    public long FineTuneUpdates { get; init; } = 1000;

    /// <summary>
    /// Hours of the seen speakers' unlabelled speech that the fine-tuned pretrained model transcribes for self-training:
    /// a third model, "pretrained + self-training", is fine-tuned from the same pretrained checkpoint on the labels and
    /// these pseudo-labels together. 0 (the default) skips it. The corpus's unlabelled split has at least this many hours;
    /// when the demo pretrains too, it pretrains on the same split, and the whole split is labelled.
    /// </summary>
    public double SelfTrainingHours { get; init; }

    /// <summary>
    /// On-the-fly augmentation of the self-trained model's training audio; null (the default) for
    /// <see cref="Augmentation"/>. The teacher then learns from clean labels and the student hears the channels.
    /// </summary>
    public AugmentationRecipe? SelfTrainingAugmentation { get; init; }

    /// <summary>The augmentation the self-trained model is fine-tuned with: <see cref="SelfTrainingAugmentation"/> or else <see cref="Augmentation"/>.</summary>
    public AugmentationRecipe StudentAugmentation => SelfTrainingAugmentation ?? Augmentation;

    /// <summary>Fine-tuning updates of the self-trained model (it hears many times more audio than the labels).</summary>
    public long SelfTrainingUpdates { get; init; } = 3000;

    /// <summary>Updates during which only the CTC head of the pretrained model learns.</summary>
    public long FreezeUpdates { get; init; } = 50;

    /// <summary>Padded samples per fine-tuning batch.</summary>
    public int FineTuneMaxTokens { get; init; } = 160_000;

    /// <summary>Order of the word n-gram LM built from the corpus's text sources for the "+LM" columns; 0 skips them.</summary>
    public int LanguageModelOrder { get; init; } = 4;

    /// <summary>Beam width of LM decoding.</summary>
    public int BeamWidth { get; init; } = 50;

    /// <summary>LM weights α tried on the dev set.</summary>
    public IReadOnlyList<double> LmAlphas { get; init; } = [0.1, 0.25, 0.5, 1, 1.5, 2];

    /// <summary>Word bonuses β tried on the dev set.</summary>
    public IReadOnlyList<double> LmBetas { get; init; } = [0, 1, 2, 3];

    /// <summary>
    /// The connected-digits task: 3 minutes of labels (the eleven-word task needs fewer than open-vocabulary speech)
    /// and a word 2-gram LM, since digit strings are random and longer contexts carry nothing.
    /// </summary>
    public static DemoOptions Digits(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, Task = DemoTask.Digits, LabelledMinutes = 3, LanguageModelOrder = 2,
    };

    /// <summary>The &lt; 10 minute smoke-test version.</summary>
    public static DemoOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, UnlabelledHours = 0.1, LabelledMinutes = 3, EvaluationMinutes = 1,
        PretrainUpdates = 40, FineTuneUpdates = 40, SelfTrainingUpdates = 40, FreezeUpdates = 10, FineTuneMaxTokens = 240_000,
    };
}
