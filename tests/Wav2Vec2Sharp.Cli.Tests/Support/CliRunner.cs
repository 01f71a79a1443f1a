using Wav2Vec2Sharp.Cli;

namespace Wav2Vec2Sharp.Tests.Support;

/// <summary>Runs <c>w2v</c> in-process and captures its exit code, standard output and standard error.</summary>
internal static class CliRunner
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
