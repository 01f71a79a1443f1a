using System.CommandLine;
using System.Globalization;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Distributed;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// The options <c>pretrain</c> and <c>finetune</c> share, bound once: the run (<c>--resume</c>, <c>--max-updates</c>,
/// <c>--lr</c>, <c>--max-tokens</c>, <c>--update-freq</c>, <c>--seed</c>, <c>--validate-every</c>, <c>--keep-last</c>, <c>--augment</c>), the hardware
/// (<c>--bf16</c>, <c>--device</c>, <c>--threads</c>) and data-parallel jobs (<c>--check-replicas</c>, <c>--overlap</c>, the hidden fault
/// injection <c>--debug-nan-at RANK:UPDATE</c>, the per-rank GPU and the one line that describes the job). A null value
/// keeps the recipe's.
/// </summary>
internal sealed class TrainingArguments
{
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from the latest checkpoint in --out" };

    public Option<long?> MaxUpdates { get; } = new("--max-updates") { Description = "Optimizer updates" };

    public Option<double?> Lr { get; } = new("--lr") { Description = "Peak learning rate" };

    public Option<int?> MaxTokens { get; } = new("--max-tokens") { Description = "Samples per batch and rank (fine-tuning counts padding)" };

    public Option<int?> UpdateFrequency { get; } = new("--update-freq") { Description = "Batches accumulated per update (per rank under mpirun)" };

    public Option<int?> Seed { get; } = new("--seed") { Description = "Random seed" };

    public Option<long?> ValidateEvery { get; } = new("--validate-every") { Description = "Validate every N updates" };

    public Option<int?> KeepLast { get; } = new("--keep-last") { Description = "Newest checkpoints kept besides the best (at least 1; w2v average can average them)" };

    public Option<string?> Augment { get; } = new("--augment")
    {
        Description = "On-the-fly augmentation of the training audio (never of validation or dev audio): a comma-separated list of " +
                      "speed (0.9/1.0/1.1), pitch (0.7-1.4, formants kept), formant (vocal-tract length 0.85-1.15), eq (low shelf, peak and high shelf, each within about 12-15 dB), reverb, telephone (300-3400 Hz band, mu-law), " +
                      "noise (white/pink/brown, 5-30 dB SNR), babble (other training utterances, 5-20 dB SNR), gain (-10..+6 dB); each is " +
                      "applied to an utterance with probability 0.5, or p when written name:p, drawn anew every epoch from the seed; " +
                      "reverb (its direct-to-reverberant ratio, 0-10 dB), noise and babble also take a range in dB after @, e.g. noise:0.5@0..15; " +
                      "'default' applies the channel effects (all but pitch, formant and eq), 'none' (the default) none of them",
        HelpName = "RECIPE",
    };

    public Option<bool> Bf16 { get; } = new("--bf16") { Description = "Multiply in bfloat16 in the CNN and Transformer (faster on CPUs with AVX-512 BF16/AMX)" };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "cpu, cuda or cuda:N (CUDA needs a CUDA build of libtorch 2.10 on the library path)", DefaultValueFactory = _ => "cpu",
    };

    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads (0 = libtorch default)", DefaultValueFactory = _ => 0 };

    public Option<bool> CheckReplicas { get; } = new("--check-replicas")
    {
        Description = "Under mpirun: compare a hash of the weights and optimizer state across ranks after every update (debug)",
    };

    public Option<string> Overlap { get; } = new("--overlap")
    {
        Description = "Under mpirun: reduce each Transformer layer's gradients during the backward pass (on), after it (off), " +
                      "or on a GPU only (auto); the update is the same",
        DefaultValueFactory = _ => "auto",
    };

    public Option<string?> NonFiniteAt { get; } = new("--debug-nan-at")
    {
        Description = "Fault injection for tests: RANK:UPDATE makes that rank's loss NaN in the step of that update",
        Hidden = true,
    };

    public void AddTo(Command command)
    {
        Overlap.AcceptOnlyFromAmong("auto", "on", "off");
        foreach (var option in new Option[] { Resume, MaxUpdates, Lr, MaxTokens, UpdateFrequency, Seed, ValidateEvery, KeepLast, Augment, Bf16, Device, Threads, CheckReplicas, Overlap, NonFiniteAt })
            command.Options.Add(option);
    }

    /// <summary>
    /// <paramref name="recipe"/> with the shared options given on the command line: updates, learning rate, batch
    /// size, update frequency, seed, validation interval, checkpoints kept, bf16, this rank's device and the augmentation.
    /// </summary>
    public PretrainingOptions Bind(ParseResult parse, PretrainingOptions recipe, ICommunicator world) => recipe with
    {
        MaxUpdates = parse.GetValue(MaxUpdates) ?? recipe.MaxUpdates,
        PeakLr = parse.GetValue(Lr) ?? recipe.PeakLr,
        MaxTokens = parse.GetValue(MaxTokens) ?? recipe.MaxTokens,
        UpdateFrequency = parse.GetValue(UpdateFrequency) ?? recipe.UpdateFrequency,
        Seed = parse.GetValue(Seed) ?? recipe.Seed,
        ValidateEveryUpdates = parse.GetValue(ValidateEvery) ?? recipe.ValidateEveryUpdates,
        KeepLast = parse.GetValue(KeepLast) ?? recipe.KeepLast,
        Bf16 = parse.GetValue(Bf16),
        Device = DeviceOf(parse, world),
        Augmentation = AugmentationOf(parse),
    };

    /// <inheritdoc cref="Bind(ParseResult, PretrainingOptions, ICommunicator)"/>
    public FineTuningOptions Bind(ParseResult parse, FineTuningOptions recipe, ICommunicator world) => recipe with
    {
        MaxUpdates = parse.GetValue(MaxUpdates) ?? recipe.MaxUpdates,
        PeakLr = parse.GetValue(Lr) ?? recipe.PeakLr,
        MaxTokens = parse.GetValue(MaxTokens) ?? recipe.MaxTokens,
        UpdateFrequency = parse.GetValue(UpdateFrequency) ?? recipe.UpdateFrequency,
        Seed = parse.GetValue(Seed) ?? recipe.Seed,
        ValidateEveryUpdates = parse.GetValue(ValidateEvery) ?? recipe.ValidateEveryUpdates,
        KeepLast = parse.GetValue(KeepLast) ?? recipe.KeepLast,
        Bf16 = parse.GetValue(Bf16),
        Device = DeviceOf(parse, world),
        Augmentation = AugmentationOf(parse),
    };

    /// <summary>The <c>--threads</c> count (0: libtorch's default).</summary>
    /// <exception cref="ArgumentException">A negative count.</exception>
    public int ThreadsOf(ParseResult parse)
    {
        int threads = parse.GetValue(Threads);
        return threads >= 0 ? threads : throw new ArgumentException($"--threads must be 0 (libtorch's default) or more, not {threads}.");
    }

    /// <summary>
    /// Refuses to start a new run over one that has checkpoints: without <c>--resume</c> it would point <c>latest.json</c>
    /// back at its own first save and replace <c>metrics.jsonl</c> and <c>model/</c>. With <c>--resume</c> and no checkpoint
    /// (a job script may always pass it), says on rank 0 that a new run starts; with a checkpoint whose updates took
    /// another number of batches (ranks × <c>--update-freq</c>), warns that the global batch changes.
    /// </summary>
    /// <exception cref="Wav2Vec2SharpException">The folder holds checkpoints and <c>--resume</c> is not given.</exception>
    public void CheckOutputFolder(ParseResult parse, string outPath, int updateFrequency, TextWriter output, TextWriter error, ICommunicator world)
    {
        var latest = new CheckpointStore(outPath, keepLast: 1).Latest();
        bool resume = parse.GetValue(Resume);
        if (!resume && latest is not null)
            throw new Wav2Vec2SharpException($"{outPath} holds a training run (latest checkpoint: {Path.GetFileName(latest)}): continue it with --resume, or give another --out.");
        if (world.Rank != 0 || !resume)
            return;
        if (latest is null)
        {
            output.WriteLine($"no checkpoint in {outPath} to resume from: starting a new run");
            return;
        }
        int now = world.Size * updateFrequency;
        if (CheckpointStore.ReadState(latest).BatchesPerUpdate is { } before && before != now)
            error.WriteLine($"warning: the run's updates took {before} batch{(before == 1 ? "" : "es")} (ranks × --update-freq) and this job's take {now} ({world.Size} × {updateFrequency}): " +
                            $"the global batch changes" + (before % world.Size == 0 ? $"; --update-freq {before / world.Size} keeps it." : "."));
    }

    /// <summary>The <c>--augment</c> recipe (<see cref="AugmentationRecipe.None"/> when not given).</summary>
    /// <exception cref="ArgumentException">An unknown effect name, with the known ones.</exception>
    public AugmentationRecipe AugmentationOf(ParseResult parse) =>
        parse.GetValue(Augment) is { } recipe ? AugmentationRecipe.Parse(recipe) : AugmentationRecipe.None;

    /// <summary>The device this rank trains on (see <see cref="RankDevice"/>).</summary>
    public string DeviceOf(ParseResult parse, ICommunicator world) => RankDevice(parse.GetValue(Device)!, world);

    public DataParallelOptions Parallel(ParseResult parse, ICommunicator world)
    {
        long? nanAt = null;
        if (parse.GetValue(NonFiniteAt) is { } spec)
        {
            var parts = spec.Split(':');
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int rank) ||
                !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long update) || rank < 0 || update < 0)
                throw new ArgumentException($"--debug-nan-at takes RANK:UPDATE, not '{spec}'.");
            nanAt = rank == world.Rank ? update : null;
        }
        return new DataParallelOptions
        {
            World = world, CheckReplicas = parse.GetValue(CheckReplicas), OverlapGradientReduction = parse.GetValue(Overlap) switch { "on" => true, "off" => false, _ => null }, NonFiniteLossAtUpdate = nanAt,
        };
    }

    /// <summary>
    /// The device of this rank: in a job of several ranks <c>cuda</c> without an index becomes <c>cuda:K</c>, K the local
    /// rank modulo the GPUs this process sees (so ranks share GPUs round-robin, and a rank that sees one GPU uses it).
    /// </summary>
    public static string RankDevice(string requested, ICommunicator world)
    {
        if (world.Size == 1 || !requested.Trim().Equals("cuda", StringComparison.OrdinalIgnoreCase))
            return requested;
        int gpus = Runtime.TorchRuntime.CudaAvailable() ? TorchSharp.torch.cuda.device_count() : 0;
        return $"cuda:{(gpus > 0 ? world.LocalRank % gpus : world.LocalRank)}";
    }

    /// <summary>The line printed once at the start of a job of several ranks.</summary>
    public static string Describe(ICommunicator world, int updateFrequency, int maxTokens, string device) =>
        $"world size {world.Size}: each update takes {world.Size} ranks × {updateFrequency} batch{(updateFrequency == 1 ? "" : "es")} of up to " +
        $"{maxTokens:N0} samples (global batch up to {(double)world.Size * updateFrequency * maxTokens / 16000:0.#} s of audio); device {device} per rank";
}
