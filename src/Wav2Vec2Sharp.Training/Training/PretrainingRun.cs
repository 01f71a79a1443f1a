using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Models;

namespace Wav2Vec2Sharp.Training;

/// <summary>Pretraining from audio on disk: a folder or fairseq manifest in, an HF pretraining checkpoint out.</summary>
public static class PretrainingRun
{
    /// <summary>File in the output folder recording the options a run used.</summary>
    public const string OptionsFile = "pretraining_options.json";

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="trainData"/> (folder or manifest) into <paramref name="outputDirectory"/>:
    /// checkpoints under <c>checkpoints/</c>, metrics in <c>metrics.jsonl</c>, the final model in <c>model/</c>.
    /// </summary>
    /// <param name="model">The model to train (fresh, or loaded with <c>--init-from</c>).</param>
    /// <param name="options">The recipe.</param>
    /// <param name="trainData">Folder of audio (searched recursively) or fairseq manifest.</param>
    /// <param name="validData">Optional validation folder or manifest.</param>
    /// <param name="outputDirectory">Where everything is written.</param>
    /// <param name="resume">Continue from the latest checkpoint in <paramref name="outputDirectory"/> if there is one.</param>
    /// <param name="progress">Called after every update.</param>
    /// <param name="skipped">Told about every unreadable audio file (it is left out).</param>
    /// <param name="cancellation">Stops after the current update and writes a checkpoint.</param>
    /// <param name="parallel">The data-parallel job this process is part of (each rank reads its share of every update's batches); one process when null.</param>
    public static TrainerState Run(Wav2Vec2ForPreTraining model, PretrainingOptions options, string trainData, string? validData,
        string outputDirectory, bool resume, IProgress<TrainingProgress>? progress = null, Action<SkippedAudioFile>? skipped = null,
        CancellationToken cancellation = default, DataParallelOptions? parallel = null)
    {
        var train = AudioManifest.Open(trainData, skipped);
        var batcher = new PretrainingBatcher(train.Entries, options.MaxTokens, options.MaxSampleSize, options.MinSampleSize, options.Seed);
        var loader = new PretrainingBatchLoader(train.Entries, options.Normalize, options.Augmentation); // the training clips only
        var validation = validData is null ? [] : LoadValidation(AudioManifest.Open(validData, skipped), options);

        Directory.CreateDirectory(outputDirectory);
        if (parallel?.IsRoot ?? true)
            ConfigJson.Write(Path.Combine(outputDirectory, OptionsFile), options);
        var trainer = new Pretrainer(model, options, outputDirectory, parallel: parallel);
        return trainer.Run((epoch, position) => new ManifestBatchStream(batcher, loader, epoch, position), validation, resume, progress, cancellation);
    }

    /// <summary>The architecture of the latest checkpoint in <paramref name="outputDirectory"/>, if a run can be resumed there.</summary>
    public static Wav2Vec2Config? ResumableConfig(string outputDirectory, int keepLast = 3) =>
        new CheckpointStore(outputDirectory, keepLast).Latest() is { } latest ? Checkpoints.ModelDirectory.ReadConfig(latest) : null;

    private static List<AudioBatch> LoadValidation(AudioManifest manifest, PretrainingOptions options)
    {
        var batcher = new PretrainingBatcher(manifest.Entries, options.MaxTokens, options.MaxSampleSize, options.MinSampleSize, options.Seed);
        var loader = new PretrainingBatchLoader(manifest.Entries, options.Normalize);
        return batcher.PlanEpoch(0).Select((plan, i) => loader.Load(plan, options.Seed, i))
            .Select(b => new AudioBatch(b.Samples, b.BatchSize, b.Length)).ToList();
    }
}
