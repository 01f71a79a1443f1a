using System.Text.Json.Serialization;
using Wav2Vec2Sharp.Audio.Effects;

namespace Wav2Vec2Sharp.Training;

/// <summary>
/// How to fine-tune with CTC (fairseq's <c>base_10m</c> recipe by default; see reference §4): feature encoder frozen,
/// whole body frozen for the first updates, time and channel masking, tri-stage learning rate, Adam without weight decay.
/// </summary>
public sealed record FineTuningOptions
{
    /// <summary>Seed of batch order, masks and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Seed of the weights the run draws rather than loads (the new CTC head; with <see cref="ReinitializedTopLayers"/> those
    /// layers; from scratch, all), or null to draw them from <see cref="Seed"/>. Fine-tunings of one pretrained model that
    /// share it start from identical weights and differ only in batches, masks and augmentation, so their weights can be
    /// averaged into one model (a model soup).
    /// </summary>
    public int? InitSeed { get; init; }

    /// <summary>Optimizer updates.</summary>
    public long MaxUpdates { get; init; } = 13_000;

    /// <summary>Peak learning rate of the tri-stage schedule.</summary>
    public double PeakLr { get; init; } = 5e-5;

    /// <summary>Updates during which only <c>lm_head</c> learns (fairseq <c>freeze_finetune_updates</c>).</summary>
    public long FreezeBodyUpdates { get; init; } = 10_000;

    /// <summary>Whether the CNN feature encoder stays frozen (fairseq <c>feature_grad_mult</c> 0).</summary>
    public bool FreezeFeatureEncoder { get; init; } = true;

    /// <summary>
    /// Top Transformer layers given fresh random weights after a pretrained body is loaded (0: keep every pretrained
    /// layer). The CNN, feature projection and positional convolution keep their pretrained weights. Applies only when
    /// starting from a pretrained model, not on resume.
    /// </summary>
    public int ReinitializedTopLayers { get; init; }

    /// <summary>
    /// Whether a model that was fine-tuned with CTC already (<c>Wav2Vec2ForCTC</c> with a <c>vocab.json</c>) continues
    /// with its own <c>lm_head</c> and vocabulary instead of a new head: fine-tuning it again on other data, e.g. another
    /// domain or more (pseudo-)labels. Applies only when starting from a model, not on resume.
    /// </summary>
    public bool KeepCtcHead { get; init; }

    /// <summary>Adam β1.</summary>
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>Adam β2.</summary>
    public double AdamBeta2 { get; init; } = 0.98;

    /// <summary>Adam ε.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Weight decay (none in the fairseq recipes).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clipping; 0 disables it.</summary>
    public double ClipNorm { get; init; }

    /// <summary>
    /// Effects applied on the fly to each training utterance's raw 16 kHz audio before normalisation (none by default;
    /// dev audio is never augmented). Each utterance's draw is keyed by (<see cref="Seed"/>, epoch, its index in the
    /// training list), so a resumed run, or one on another number of ranks, augments identically. Babble comes from 16
    /// training utterances drawn once from the seed. With augmentation the frozen CNN's features cannot be cached (the
    /// audio differs every epoch): they are computed for every batch, which makes an update slower.
    /// </summary>
    [JsonConverter(typeof(AugmentationRecipeJsonConverter))]
    public AugmentationRecipe Augmentation { get; init; } = AugmentationRecipe.None;

    /// <summary>Time-masking rate with spans of <see cref="MaskTimeLength"/> (fairseq <c>mask_prob</c>).</summary>
    public double MaskTimeProb { get; init; } = 0.65;

    /// <summary>Time span length in frames.</summary>
    public int MaskTimeLength { get; init; } = 10;

    /// <summary>Channel-masking rate (fairseq <c>mask_channel_prob</c>).</summary>
    public double MaskChannelProb { get; init; } = 0.25;

    /// <summary>Channel span length (fairseq <c>mask_channel_length</c>), capped at the hidden size.</summary>
    public int MaskChannelLength { get; init; } = 64;

    /// <summary>LayerDrop during fine-tuning.</summary>
    public double Layerdrop { get; init; } = 0.1;

    /// <summary>"sum" (fairseq: summed, gradients divided by the utterances of the update) or "mean" (torch: per-target-length mean).</summary>
    public string CtcReduction { get; init; } = "sum";

    /// <summary>Zero infinite CTC losses (clips too short for their transcript).</summary>
    public bool CtcZeroInfinity { get; init; } = true;

    /// <summary>Most padded samples per batch (batch × longest clip).</summary>
    public int MaxTokens { get; init; } = 3_200_000;

    /// <summary>Batches accumulated per update.</summary>
    public int UpdateFrequency { get; init; } = 1;

    /// <summary>Multiply in bfloat16 in the CNN and Transformer (see <see cref="Modules.Autocast"/>); fp32 otherwise.</summary>
    public bool Bf16 { get; init; }

    /// <summary>
    /// Where the model trains: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (see <see cref="Runtime.TorchRuntime.ResolveDevice"/>).
    /// Batches, masks and labels are made on the CPU and copied over; dev transcripts and checkpoints come back to the CPU.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Evaluate greedy WER/CER on the dev set every this many updates (and at the end).</summary>
    public long ValidateEveryUpdates { get; init; } = 1000;

    /// <summary>Checkpoint every this many updates (and at the end).</summary>
    public long SaveEveryUpdates { get; init; } = 1000;

    /// <summary>Checkpoints kept besides the best.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Dev metric that picks the exported checkpoint: "wer" (the fairseq recipe) or "cer" (steadier while most
    /// words are still wrong, e.g. minutes of labels on a small model); the other metric breaks ties.</summary>
    public string BestCheckpointMetric { get; init; } = "wer";

    /// <summary>Stop after this many validations without a better dev WER; 0 never stops early.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Metrics line every this many updates.</summary>
    public int LogEveryUpdates { get; init; } = 10;

    /// <summary>Refuses settings outside their meaningful range.</summary>
    /// <exception cref="ArgumentException">The first setting out of range, named by its <c>w2v finetune</c> option.</exception>
    public FineTuningOptions Validate()
    {
        if (MaxUpdates < 1)
            throw new ArgumentException($"--max-updates must be at least 1, not {MaxUpdates}.");
        if (!(PeakLr > 0) || double.IsInfinity(PeakLr))
            throw new ArgumentException($"--lr must be above 0, not {PeakLr}.");
        if (UpdateFrequency < 1)
            throw new ArgumentException($"--update-freq must be at least 1, not {UpdateFrequency}.");
        if (Augmentation is null)
            throw new ArgumentException("the augmentation recipe cannot be null (AugmentationRecipe.None applies nothing).");
        if (MaxTokens < 1)
            throw new ArgumentException($"--max-tokens must be at least 1, not {MaxTokens}.");
        if (MaskTimeProb is < 0 or > 1 || double.IsNaN(MaskTimeProb))
            throw new ArgumentException($"--mask-time-prob must be between 0 and 1, not {MaskTimeProb}.");
        if (MaskChannelProb is < 0 or > 1 || double.IsNaN(MaskChannelProb))
            throw new ArgumentException($"--mask-channel-prob must be between 0 and 1, not {MaskChannelProb}.");
        if (FreezeBodyUpdates < 0 || EarlyStoppingPatience < 0 || ReinitializedTopLayers < 0)
            throw new ArgumentException($"--freeze-updates, --early-stopping and --reinit-layers cannot be negative ({FreezeBodyUpdates}, {EarlyStoppingPatience}, {ReinitializedTopLayers}).");
        if (BestCheckpointMetric is not ("wer" or "cer"))
            throw new ArgumentException($"the best checkpoint is chosen by wer or cer, not {BestCheckpointMetric}.");
        ScheduleValidation.Check(SaveEveryUpdates, "--save-every", ValidateEveryUpdates, LogEveryUpdates, warmup: 0, ClipNorm,
            AdamBeta1, AdamBeta2, AdamEpsilon, WeightDecay, KeepLast);
        return this;
    }

    /// <summary>The fairseq BASE 10-minute recipe.</summary>
    public static FineTuningOptions Base10Minutes => new();

    /// <summary>The names of the fine-tuning recipes (<c>w2v finetune --recipe</c>): "small" and "base-10m".</summary>
    public static IReadOnlyList<string> RecipeNames { get; } = ["small", "base-10m"];

    /// <summary>
    /// The recipe called <paramref name="name"/>, one of <see cref="RecipeNames"/> (case and spaces ignored; "base10m"
    /// accepted for "base-10m"): <see cref="Small"/> or <see cref="Base10Minutes"/>.
    /// </summary>
    /// <exception cref="ConfigException">An unknown recipe, named with the known ones.</exception>
    public static FineTuningOptions ForRecipe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "small" => Small,
            "base-10m" or "base10m" => Base10Minutes,
            _ => throw new ConfigException($"unknown recipe \"{name}\" (use {string.Join(" or ", RecipeNames)})."),
        };
    }

    /// <summary>
    /// A short CPU recipe for the small preset on minutes of labels: 10 s batches, peak learning rate 5e-4, head-only for
    /// 50 updates, time masking 0.25 (a pretrained model overfits 10 minutes of synthetic speech with 0.05; fairseq's
    /// 0.65 kept it in CTC's blank-only phase), no channel masking, best checkpoint by dev CER.
    /// </summary>
    public static FineTuningOptions Small => new()
    {
        MaxUpdates = 1500, PeakLr = 5e-4, FreezeBodyUpdates = 50, MaxTokens = 160_000, MaskTimeProb = 0.25,
        MaskChannelProb = 0, MaskChannelLength = 16, Layerdrop = 0.05, ClipNorm = 10,
        ValidateEveryUpdates = 250, SaveEveryUpdates = 250, LogEveryUpdates = 5, BestCheckpointMetric = "cer",
    };
}
