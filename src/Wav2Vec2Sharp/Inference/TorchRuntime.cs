using TorchSharp;

namespace Wav2Vec2Sharp.Inference;

/// <summary>Checks once that TorchSharp's native libraries load, turning a failure into one readable sentence.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadError = new(TryLoad);

    /// <summary>Throws <see cref="Wav2Vec2SharpException"/> when libtorch cannot be loaded on this machine.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } error)
            throw new Wav2Vec2SharpException(
                $"TorchSharp's native library could not be loaded: {Innermost(error).Message.Split('\n')[0].TrimEnd('.')}.", error);
    }

    /// <summary>Sets the CPU threads libtorch uses for one operation (intra-op parallelism).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0)
            torch.set_num_threads(threads);
    }

    private static Exception? TryLoad()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.ones(1);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e;
    }
}
