using System.Globalization;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>A program invocation: its argument list and what to write to its standard input.</summary>
internal sealed record EngineCommand(IReadOnlyList<string> Arguments, string? StandardInput)
{
    /// <summary>The default eSpeak NG speaking rate, in words per minute.</summary>
    public const int EspeakDefaultRate = 175;

    /// <summary>The command that makes <paramref name="engine"/> speak <paramref name="text"/> as <paramref name="speaker"/> into <paramref name="wavPath"/>.</summary>
    public static EngineCommand For(TtsEngine engine, Speaker speaker, string text, string wavPath) => engine switch
    {
        TtsEngine.Espeak => Espeak(speaker, text, wavPath),
        TtsEngine.Flite => Flite(speaker, text, wavPath),
        TtsEngine.Festival => Festival(speaker, text, wavPath),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    /// <summary><c>espeak-ng -v VOICE+VARIANT -p PITCH -s RATE -w OUT -- TEXT</c>.</summary>
    private static EngineCommand Espeak(Speaker speaker, string text, string wavPath)
    {
        int pitch = Math.Clamp((int)Math.Round(50 + 100 * (speaker.Pitch - 1)), 0, 99);
        int rate = Math.Clamp((int)Math.Round(EspeakDefaultRate * speaker.Tempo), 80, 450);
        var voice = speaker.Variant is null ? speaker.Voice : $"{speaker.Voice}+{speaker.Variant}";
        return new EngineCommand(["-v", voice, "-p", Format(pitch), "-s", Format(rate), "-w", wavPath, text], null);
    }

    /// <summary><c>flite -voice VOICE --setf duration_stretch=S [--setf int_f0_target_mean=F] -t TEXT -o OUT</c>.</summary>
    private static EngineCommand Flite(Speaker speaker, string text, string wavPath)
    {
        var arguments = new List<string> { "-voice", speaker.Voice, "--setf", "duration_stretch=" + Format(1 / speaker.Tempo) };
        if (VoiceTraits.SupportsPitch(TtsEngine.Flite, speaker.Voice))
            arguments.AddRange(["--setf", "int_f0_target_mean=" + Format(VoiceTraits.FliteF0(speaker.Voice) * speaker.Pitch)]);
        arguments.AddRange(["-t", text, "-o", wavPath]);
        return new EngineCommand(arguments, null);
    }

    /// <summary><c>text2wave -o OUT -eval (voice_VOICE) -eval (Parameter.set 'Duration_Stretch S) [-eval (scale target_f0_mean)]</c>, the text on standard input.</summary>
    private static EngineCommand Festival(Speaker speaker, string text, string wavPath)
    {
        var arguments = new List<string>
        {
            "-o", wavPath,
            "-eval", $"(voice_{speaker.Voice})",
            "-eval", $"(Parameter.set 'Duration_Stretch {Format(1 / speaker.Tempo)})",
        };
        if (VoiceTraits.SupportsPitch(TtsEngine.Festival, speaker.Voice))
        {
            arguments.AddRange(["-eval",
                "(set! int_lr_params (mapcar (lambda (p) (if (equal? (car p) 'target_f0_mean) "
                + $"(list (car p) (* {Format(speaker.Pitch)} (car (cdr p)))) p)) int_lr_params))"]);
        }
        return new EngineCommand(arguments, text + "\n");
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
