using TorchSharp;

namespace Wav2Vec2Sharp.Runtime;

/// <summary>Checks once that TorchSharp's native libraries load, turning a failure into one readable sentence.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadError = new(TryLoad);

    /// <summary>Throws <see cref="Wav2Vec2SharpException"/> when libtorch cannot be loaded on this machine.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is not { } error)
            return;
        var lines = Innermost(error).Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The loader's message is boilerplate first and the dynamic linker's reason last.
        var reason = error is DllNotFoundException ? lines[^1] : lines[0];
        var hint = OperatingSystem.IsLinux() && !File.Exists(Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so"))
            ? " (this build carries no libtorch: put the lib folder of a libtorch 2.10 or later, e.g. a PyTorch wheel's torch/lib, on LD_LIBRARY_PATH)"
            : "";
        throw new Wav2Vec2SharpException($"TorchSharp's native library could not be loaded: {reason.TrimEnd('.')}{hint}.", error);
    }

    /// <summary>Sets the CPU threads libtorch uses for one operation (intra-op parallelism).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0)
            torch.set_num_threads(threads);
    }

    /// <summary>
    /// The device named <paramref name="name"/>: <c>cpu</c>, <c>cuda</c> (the first GPU) or <c>cuda:N</c>. A CUDA device
    /// needs a CUDA build of libtorch 2.10 where the loader finds it (the package this repository references is the
    /// CPU one); when none is there, or the index is past the GPUs present, a <see cref="Wav2Vec2SharpException"/> says so.
    /// </summary>
    public static torch.Device ResolveDevice(string name)
    {
        EnsureLoaded();
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized == "cpu")
            return torch.CPU;
        var match = System.Text.RegularExpressions.Regex.Match(normalized, @"^cuda(?::(\d+))?$");
        if (!match.Success)
            throw new Wav2Vec2SharpException($"device '{name}': give cpu, cuda or cuda:N.");
        if (!CudaAvailable())
            throw new Wav2Vec2SharpException($"device '{name}': CUDA is not available here (no GPU, or libtorch was loaded without CUDA: " +
                "the libtorch-cpu package cannot use a GPU).");
        int index = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        int count = torch.cuda.device_count();
        if (index >= count)
            throw new Wav2Vec2SharpException($"device '{name}': there {(count == 1 ? "is 1 GPU" : $"are {count} GPUs")} (cuda:0 to cuda:{count - 1}).");
        return torch.device(DeviceType.CUDA, index);
    }

    /// <summary>The device of <paramref name="model"/>'s first parameter (the CPU for a model without parameters).</summary>
    public static torch.Device DeviceOf(torch.nn.Module model) => model.parameters().FirstOrDefault()?.device ?? torch.CPU;

    /// <summary>Whether libtorch was loaded with CUDA and sees a GPU.</summary>
    public static bool CudaAvailable() => Quietly(() => torch.cuda.is_available(), _ => false);

    /// <summary>
    /// Collects garbage and runs pending finalizers before tensor work starts. TorchSharp 0.107 frees implicitly
    /// created <c>Scalar</c>s from the finalizer; clearing the finalization queue after multi-threaded work (corpus
    /// synthesis, manifest scans) keeps the finalizer thread quiet while training runs native calls.
    /// </summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static Exception? TryLoad() => Quietly<Exception?>(() =>
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        using var probe = torch.ones(1);
        return null;
    }, e => LoaderError() ?? e);

    // When loading a native library fails, TorchSharp writes a long trace to standard output; keep it out of the
    // user's output while probing, and turn the failure into onError's value.
    private static T Quietly<T>(Func<T> probe, Func<Exception, T> onError)
    {
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            return probe();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return onError(e);
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }

    // TorchSharp's message blames a missing package reference; the dynamic loader's own message names the real cause
    // (e.g. "version `GLIBCXX_3.4.32' not found").
    private static Exception? LoaderError()
    {
        var library = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : "libLibTorchSharp.so");
        if (!File.Exists(library))
            return null;
        try
        {
            System.Runtime.InteropServices.NativeLibrary.Free(System.Runtime.InteropServices.NativeLibrary.Load(library));
            return null;
        }
        catch (DllNotFoundException e)
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
