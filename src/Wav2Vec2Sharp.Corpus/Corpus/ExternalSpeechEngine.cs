using System.ComponentModel;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>Runs an installed engine program (<c>espeak-ng</c>, <c>flite</c>, <c>text2wave</c>) once per sentence.</summary>
internal sealed class ExternalSpeechEngine : ISpeechEngine
{
    private readonly TtsEngineInfo _info;
    private readonly TimeSpan _timeout;

    /// <summary>Runs <paramref name="info"/>'s program, stopping it after <paramref name="timeout"/>.</summary>
    public ExternalSpeechEngine(TtsEngineInfo info, TimeSpan timeout)
    {
        _info = info;
        _timeout = timeout;
    }

    /// <inheritdoc/>
    public string Version => _info.Version;

    /// <inheritdoc/>
    public async Task SynthesizeAsync(Speaker speaker, string text, string wavPath, CancellationToken cancellationToken)
    {
        var command = EngineCommand.For(_info.Engine, speaker, text, wavPath);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(_info.Executable, command.Arguments, command.StandardInput, _timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new SpeechEngineException(e.Message, e);
        }
        catch (Win32Exception e)
        {
            throw new SpeechEngineException($"cannot start {_info.Executable}: {e.Message}", e);
        }
        if (result.ExitCode != 0)
            throw new SpeechEngineException($"{Path.GetFileName(_info.Executable)} exited with code {result.ExitCode}{Tail(result.StandardError)}");
        var file = new FileInfo(wavPath);
        if (!file.Exists || file.Length <= 44)
            throw new SpeechEngineException($"{Path.GetFileName(_info.Executable)} wrote no audio{Tail(result.StandardError + result.StandardOutput)}");
    }

    private static string Tail(string output)
    {
        var text = output.Trim().ReplaceLineEndings(" ");
        if (text.Length == 0)
            return "";
        return ": " + (text.Length > 300 ? "…" + text[^300..] : text);
    }
}
