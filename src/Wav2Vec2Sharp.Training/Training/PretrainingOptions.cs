using System.Text.Json.Serialization;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Losses;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// How to pretrain (fairseq's recipe; the architecture lives in <see cref="Configuration.Wav2Vec2Config"/>).
/// Defaults are the BASE LibriSpeech recipe (<c>wav2vec2_base_librispeech.yaml</c>) except where noted.
/// </summary>
public sealed record PretrainingOptions
{
    /// <summary>Seed of the data order, crops, masks, distractors, dropout and Gumbel noise.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Optimizer updates to run (fairseq <c>max_update</c>).</summary>
    public long MaxUpdates { get; init; } = 400_000;

    /// <summary>Peak learning rate (fairseq <c>lr</c>).</summary>
    public double PeakLr { get; init; } = 5e-4;

    /// <summary>Linear warmup updates (fairseq <c>warmup_updates</c>).</summary>
    public long WarmupUpdates { get; init; } = 32_000;

    /// <summary>Adam β1.</summary>
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>Adam β2.</summary>
    public double AdamBeta2 { get; init; } = 0.98;

    /// <summary>Adam ε.</summary>
    public double AdamEpsilon { get; init; } = 1e-6;

    /// <summary>Decoupled weight decay (AdamW), as fairseq's Adam applies it.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Gradient-norm clipping threshold; 0 disables clipping (the fairseq base recipe).</summary>
    public double ClipNorm { get; init; }

    /// <summary>Batches whose gradients are accumulated into one update (fairseq <c>update_freq</c>).</summary>
    public int UpdateFrequency { get; init; } = 1;

    /// <summary>Most samples in one batch after cropping (fairseq <c>max_tokens</c>; 1.4 M = 87.5 s).</summary>
    public int MaxTokens { get; init; } = 1_400_000;

    /// <summary>Clips are randomly cropped to at most this many samples (fairseq <c>max_sample_size</c>).</summary>
    public int MaxSampleSize { get; init; } = 250_000;

    /// <summary>Clips shorter than this are not used (fairseq <c>min_sample_size</c>).</summary>
    public int MinSampleSize { get; init; } = 32_000;

    /// <summary>Normalise each cropped clip to zero mean and unit variance (fairseq <c>normalize</c>: false for base, true for large).</summary>
    public bool Normalize { get; init; }

    /// <summary>
    /// Effects applied on the fly to each training clip's raw 16 kHz audio, before normalisation and cropping (none by
    /// default; validation audio is never augmented). Each clip's draw is keyed by (<see cref="Seed"/>, epoch, its index
    /// in the training manifest), so a resumed run, or one on another number of ranks, augments identically. Babble
    /// comes from 16 training clips drawn once from the seed (the first 20 s of each).
    /// </summary>
    [JsonConverter(typeof(AugmentationRecipeJsonConverter))]
    public AugmentationRecipe Augmentation { get; init; } = AugmentationRecipe.None;

    /// <summary>Span-masking rate (fairseq <c>mask_prob</c>).</summary>
    public double MaskProb { get; init; } = 0.65;

    /// <summary>Span length in frames (fairseq <c>mask_length</c>).</summary>
    public int MaskLength { get; init; } = 10;

    /// <summary>Minimum spans per utterance (fairseq's fixed 2).</summary>
    public int MinMasks { get; init; } = 2;

    /// <summary>Distractors per masked frame K (fairseq <c>num_negatives</c>).</summary>
    public int NumNegatives { get; init; } = 100;

    /// <summary>Loss weights and CNN gradient scale.</summary>
    public PretrainingLossOptions Loss { get; init; } = new();

    /// <summary>Gumbel temperature schedule (fairseq <c>latent_temp</c>).</summary>
    public GumbelTemperatureSchedule Temperature { get; init; } = new();

    /// <summary>Multiply in bfloat16 in the CNN and Transformer (see <see cref="Modules.Autocast"/>); fp32 otherwise.</summary>
    public bool Bf16 { get; init; }

    /// <summary>
    /// Where the model trains: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (see <see cref="Runtime.TorchRuntime.ResolveDevice"/>).
    /// Batches, masks and distractor indices are made on the CPU and copied over; checkpoints are written from the CPU.
    /// Every batch reseeds torch's generators (CPU and, through libtorch's manual_seed, CUDA) from (seed, epoch, position),
    /// so a resumed run draws the random numbers an uninterrupted one draws.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Save a checkpoint every this many updates (and at the end).</summary>
    public long SaveEveryUpdates { get; init; } = 1000;

    /// <summary>Number of recent checkpoints kept (the best is kept too).</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Validate every this many updates (and at the end) when validation data is given.</summary>
    public long ValidateEveryUpdates { get; init; } = 1000;

    /// <summary>Write a metrics line every this many updates.</summary>
    public int LogEveryUpdates { get; init; } = 10;

    /// <summary>
    /// The recipe that goes with the architecture preset <paramref name="preset"/> (see <see cref="Configuration.Presets.ByName"/>):
    /// <see cref="Small"/> for small, <see cref="Base"/> for base, <see cref="Large"/> for large and xls-r-300m (fairseq's
    /// LARGE recipe is the published one closest to XLS-R's).
    /// </summary>
    /// <exception cref="ConfigException">An unknown preset, named with the known ones.</exception>
    public static PretrainingOptions ForPreset(string preset) => Configuration.Presets.CanonicalName(preset) switch
    {
        "small" => Small,
        "base" => Base,
        _ => Large,
    };

    /// <summary>
    /// Refuses settings outside their meaningful range: CNN gradient scales beyond [0, 1], masking, distractor and
    /// cropping settings that would make the contrastive task empty or malformed, and intervals, warm-up, clipping and
    /// optimizer settings the trainer cannot run.
    /// </summary>
    /// <exception cref="ArgumentException">The first setting out of range, named by its <c>w2v pretrain</c> option.</exception>
    public PretrainingOptions Validate()
    {
        double gradMult = Loss.FeatureGradMult;
        if (gradMult is < 0 or > 1 || double.IsNaN(gradMult))
            throw new ArgumentException($"--feature-grad-mult must be between 0 and 1, not {gradMult}.");
        if (MaskProb is <= 0 or > 1 || double.IsNaN(MaskProb))
            throw new ArgumentException($"--mask-prob must be above 0 and at most 1, not {MaskProb}.");
        if (MaskLength < 1)
            throw new ArgumentException($"--mask-length must be at least 1 frame, not {MaskLength}.");
        if (NumNegatives < 1)
            throw new ArgumentException($"--num-negatives must be at least 1, not {NumNegatives}.");
        if (MaxSampleSize < MinSampleSize)
            throw new ArgumentException($"--max-sample-size must be at least the shortest clip used ({MinSampleSize} samples), not {MaxSampleSize}.");
        if (UpdateFrequency < 1)
            throw new ArgumentException($"--update-freq must be at least 1, not {UpdateFrequency}.");
        if (Augmentation is null)
            throw new ArgumentException("the augmentation recipe cannot be null (AugmentationRecipe.None applies nothing).");
        if (MaxTokens < 1)
            throw new ArgumentException($"--max-tokens must be at least 1, not {MaxTokens}.");
        if (MaxUpdates < 1)
            throw new ArgumentException($"--max-updates must be at least 1, not {MaxUpdates}.");
        if (!(PeakLr > 0) || double.IsInfinity(PeakLr))
            throw new ArgumentException($"--lr must be above 0, not {PeakLr}.");
        ScheduleValidation.Check(SaveEveryUpdates, "--save-every", ValidateEveryUpdates, LogEveryUpdates, WarmupUpdates, ClipNorm,
            AdamBeta1, AdamBeta2, AdamEpsilon, WeightDecay, KeepLast);
        return this;
    }

    /// <summary>The fairseq BASE recipe (the defaults).</summary>
    public static PretrainingOptions Base => new();

    /// <summary>The fairseq LARGE (LibriVox) recipe: no feature penalty, full CNN gradient, temperature floor 0.1,
    /// normalised audio, 320 000-sample crops, 1.2 M tokens.</summary>
    public static PretrainingOptions Large => new()
    {
        PeakLr = 5e-3, MaxUpdates = 1_000_000, MaxTokens = 1_200_000, MaxSampleSize = 320_000, Normalize = true,
        Loss = new PretrainingLossOptions { FeaturePenaltyWeight = 0, FeatureGradMult = 1.0 },
        Temperature = new GumbelTemperatureSchedule(2.0, 0.1, 0.999995),
    };

    /// <summary>
    /// A recipe for the small presets on a CPU: many small updates (8 s batches) at a learning rate of 3e-4. With 32 s
    /// batches at 1e-3, or 8 s batches at 1e-3 or 1e-4, the contrastive loss stayed at chance for hundreds of updates on
    /// the demo's synthetic speech; at 3e-4 it left chance within about 200 updates. 6000 updates (10.5 h of audio) took
    /// 72 minutes on 2 cores.
    /// </summary>
    public static PretrainingOptions Small => new()
    {
        PeakLr = 3e-4, MaxUpdates = 6000, WarmupUpdates = 150, MaxTokens = 128_000, MaxSampleSize = 128_000, MinSampleSize = 16_000,
        ClipNorm = 10, NumNegatives = 50, SaveEveryUpdates = 250, ValidateEveryUpdates = 250, LogEveryUpdates = 5,
        Temperature = new GumbelTemperatureSchedule(2.0, 0.5, 0.995),
    };
}
