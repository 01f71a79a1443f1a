using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Wav2Vec2Sharp.Cli.Console;

/// <summary>
/// The standard output and error w2v writes to. Under an MPI launcher they are written through the file descriptors
/// themselves rather than <see cref="System.Console"/>: Open MPI gives each rank a pseudo-terminal, and .NET's console, on
/// its first use of a terminal, writes the keypad-mode sequence <c>ESC [ ? 1 h ESC =</c> to it, which would then start
/// every rank's output (so that <c>mpirun … transcribe &gt; out.txt</c> would differ from one process's output).
/// </summary>
internal static class StandardStreams
{
    /// <summary>Whether the streams bypass <see cref="System.Console"/> (under an MPI launcher).</summary>
    public static bool Raw { get; private set; }

    /// <summary>Standard error as chosen by <see cref="Open"/> (<see cref="System.Console.Error"/> until then).</summary>
    public static TextWriter Error { get; private set; } = System.Console.Error;

    /// <summary>Chooses the writers for this process: the console's, or under an MPI launcher unbuffered UTF-8 writers on file descriptors 1 and 2.</summary>
    public static (TextWriter Output, TextWriter Error) Open(bool underMpi)
    {
        if (!underMpi)
            return (System.Console.Out, System.Console.Error);
        Raw = true;
        Error = Writer(2);
        return (Writer(1), Error);
    }

    private static TextWriter Writer(int descriptor) => TextWriter.Synchronized(
        new StreamWriter(new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0), new UTF8Encoding(false)) { AutoFlush = true });
}
