using System.CommandLine;
using System.Globalization;
using Wav2Vec2Sharp.Distributed;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Cli.Commands;

/// <summary>
/// What <c>pretrain</c> and <c>finetune</c> add for data-parallel jobs: <c>--check-replicas</c>, the hidden fault
/// injection <c>--debug-nan-at RANK:UPDATE</c>, the per-rank GPU and the one line that describes the job.
/// </summary>
internal sealed class ParallelArguments
{
    public Option<bool> CheckReplicas { get; } = new("--check-replicas")
    {
        Description = "Under mpirun: compare a hash of the weights and optimizer state across ranks after every update (debug)",
    };

    public Option<string?> NonFiniteAt { get; } = new("--debug-nan-at")
    {
        Description = "Fault injection for tests: RANK:UPDATE makes that rank's loss NaN in the step of that update",
        Hidden = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(CheckReplicas);
        command.Options.Add(NonFiniteAt);
    }

    public DataParallelOptions Create(ParseResult parse, ICommunicator world)
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
        return new DataParallelOptions { World = world, CheckReplicas = parse.GetValue(CheckReplicas), NonFiniteLossAtUpdate = nanAt };
    }

    /// <summary>
    /// The device of this rank: in a job of several ranks <c>cuda</c> without an index becomes <c>cuda:K</c>, K the local
    /// rank modulo the GPUs this process sees (so ranks share GPUs round-robin, and a rank that sees one GPU uses it).
    /// </summary>
    public static string Device(string requested, ICommunicator world)
    {
        if (world.Size == 1 || !requested.Trim().Equals("cuda", StringComparison.OrdinalIgnoreCase))
            return requested;
        int gpus = Inference.TorchRuntime.CudaAvailable() ? TorchSharp.torch.cuda.device_count() : 0;
        return $"cuda:{(gpus > 0 ? world.LocalRank % gpus : world.LocalRank)}";
    }

    /// <summary>The line printed once at the start of a job of several ranks.</summary>
    public static string Describe(ICommunicator world, int updateFrequency, int maxTokens, string device) =>
        $"world size {world.Size}: each update takes {world.Size} ranks × {updateFrequency} batch{(updateFrequency == 1 ? "" : "es")} of up to " +
        $"{maxTokens:N0} samples (global batch up to {(double)world.Size * updateFrequency * maxTokens / 16000:0.#} s of audio); device {device} per rank";
}
