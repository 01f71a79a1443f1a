using System.Text.RegularExpressions;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>Finds the installed speech engines and their English voices by running them (<c>--voices</c>, <c>-lv</c>) and looking at Festival's voice folders.</summary>
internal static partial class EngineProbe
{
    /// <summary>Where Debian's festvox packages install Festival voices.</summary>
    public const string FestivalVoicesFolder = "/usr/share/festival/voices";

    /// <summary>eSpeak NG variants that sound like ordinary speakers (the novelty ones, such as <c>Demonic</c>, are left out).</summary>
    private static readonly string[] PreferredVariants =
        ["f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt3", "klatt4", "m1", "m2", "m3", "m4", "m5", "m6", "m7"];

    /// <summary>Festival language folders that hold English voices.</summary>
    private static readonly string[] FestivalEnglishFolders = ["english", "us", "uk", "british", "american"];

    /// <summary>Probes each of <paramref name="engines"/> (all when null) and returns those found with at least one English voice, in enum order.</summary>
    public static IReadOnlyList<TtsEngineInfo> Probe(IEnumerable<TtsEngine>? engines = null)
    {
        var wanted = (engines ?? Enum.GetValues<TtsEngine>()).Distinct().Order().ToArray();
        var found = new List<TtsEngineInfo>();
        foreach (var engine in wanted)
        {
            var info = engine switch
            {
                TtsEngine.Espeak => ProbeEspeak(),
                TtsEngine.Flite => ProbeFlite(),
                TtsEngine.Festival => ProbeFestival(FestivalVoicesFolder),
                _ => null,
            };
            if (info is { Voices.Count: > 0 })
                found.Add(info);
        }
        return found;
    }

    /// <summary>The full path of <paramref name="program"/> on the <c>PATH</c>, or <see langword="null"/>.</summary>
    public static string? FindExecutable(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static TtsEngineInfo? ProbeEspeak()
    {
        if (FindExecutable("espeak-ng") is not { } exe)
            return null;
        var voices = ParseEspeakVoices(ProcessRunner.TryReadOutput(exe, "--voices=en") ?? "");
        var variants = ChooseVariants(ParseEspeakVariants(ProcessRunner.TryReadOutput(exe, "--voices=variant") ?? ""));
        return new TtsEngineInfo(TtsEngine.Espeak, exe, ParseEspeakVersion(ProcessRunner.TryReadOutput(exe, "--version") ?? ""), voices, variants);
    }

    private static TtsEngineInfo? ProbeFlite()
    {
        if (FindExecutable("flite") is not { } exe)
            return null;
        var voices = ParseFliteVoices(ProcessRunner.TryReadOutput(exe, "-lv") ?? "");
        return new TtsEngineInfo(TtsEngine.Flite, exe, ParseFliteVersion(ProcessRunner.TryReadOutput(exe, "--version") ?? ""), voices, []);
    }

    private static TtsEngineInfo? ProbeFestival(string voicesFolder)
    {
        if (FindExecutable("text2wave") is not { } exe)
            return null;
        var festival = FindExecutable("festival");
        var version = festival is null ? "festival" : ParseFestivalVersion(ProcessRunner.TryReadOutput(festival, "--version") ?? "");
        return new TtsEngineInfo(TtsEngine.Festival, exe, version, FestivalVoices(voicesFolder), []);
    }

    /// <summary>
    /// The English accents in <c>espeak-ng --voices=en</c>: the language column of each line whose voice file is not an
    /// MBROLA one (<c>mb/…</c>, which needs the separate mbrola program), distinct, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> ParseEspeakVoices(string listing)
    {
        var voices = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in listing.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5)
                continue;
            var language = fields[1];
            var file = fields[4]; // Pty, Language, Age/Gender, VoiceName, File, Other languages
            if (language.StartsWith("en", StringComparison.Ordinal) && !file.StartsWith("mb/", StringComparison.Ordinal) && ValidName().IsMatch(language))
                voices.Add(language);
        }
        return voices.ToArray();
    }

    /// <summary>The variant file names (<c>m3</c> of <c>!v/m3</c>) in <c>espeak-ng --voices=variant</c>, in ordinal order; names with spaces are left out.</summary>
    public static IReadOnlyList<string> ParseEspeakVariants(string listing)
    {
        var variants = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in VariantFile().Matches(listing))
            variants.Add(match.Groups[1].Value);
        return variants.ToArray();
    }

    /// <summary>The installed variants among <see cref="PreferredVariants"/>, or all of them when none of those is installed.</summary>
    public static IReadOnlyList<string> ChooseVariants(IReadOnlyList<string> installed)
    {
        var preferred = PreferredVariants.Where(installed.Contains).ToArray();
        return preferred.Length > 0 ? preferred : installed;
    }

    /// <summary>
    /// The voices in <c>flite -lv</c> ("Voices available: kal awb_time kal16 awb rms slt"), in ordinal order, without the
    /// limited-domain voices (<c>awb_time</c> only says the time) and without the 8 kHz <c>kal</c> when <c>kal16</c> is there.
    /// </summary>
    public static IReadOnlyList<string> ParseFliteVoices(string listing)
    {
        int colon = listing.IndexOf(':');
        if (colon < 0)
            return [];
        var names = listing[(colon + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(v => ValidName().IsMatch(v) && !v.EndsWith("_time", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        if (names.Contains("kal16"))
            names.Remove("kal");
        return names.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The English Festival voices: folders under <c>english/</c>, <c>us/</c>, … of <paramref name="voicesFolder"/> that hold a <c>festvox</c> folder.</summary>
    public static IReadOnlyList<string> FestivalVoices(string voicesFolder)
    {
        var voices = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var language in FestivalEnglishFolders)
        {
            var folder = Path.Combine(voicesFolder, language);
            if (!Directory.Exists(folder))
                continue;
            foreach (var voice in Directory.EnumerateDirectories(folder))
            {
                var name = Path.GetFileName(voice);
                if (ValidName().IsMatch(name) && Directory.Exists(Path.Combine(voice, "festvox")))
                    voices.Add(name);
            }
        }
        return voices.ToArray();
    }

    /// <summary>"eSpeak NG text-to-speech: 1.51  Data at: …" → "eSpeak NG text-to-speech: 1.51".</summary>
    public static string ParseEspeakVersion(string output)
    {
        var line = FirstLine(output);
        int data = line.IndexOf("Data at", StringComparison.Ordinal);
        return (data >= 0 ? line[..data] : line).Trim() is { Length: > 0 } version ? version : "espeak-ng";
    }

    /// <summary>The <c>version: flite-2.2-current Sep 2018 (…)</c> line of <c>flite --version</c> → "flite-2.2-current Sep 2018".</summary>
    public static string ParseFliteVersion(string output)
    {
        var match = FliteVersion().Match(output);
        return match.Success ? match.Groups[1].Value.Trim() : "flite";
    }

    /// <summary>"/usr/bin/festival: Festival Speech Synthesis System: 2.5.0:release December 2017" → "Festival Speech Synthesis System: 2.5.0:release December 2017".</summary>
    public static string ParseFestivalVersion(string output)
    {
        var line = FirstLine(output);
        int start = line.IndexOf("Festival", StringComparison.Ordinal);
        return start >= 0 ? line[start..] : line is { Length: > 0 } ? line : "festival";
    }

    private static string FirstLine(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>A voice name that is safe to put in a command line and a Scheme expression.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex ValidName();

    [GeneratedRegex(@"!v/([A-Za-z0-9_.-]+)\s*(?:\(|$)", RegexOptions.Multiline)]
    private static partial Regex VariantFile();

    [GeneratedRegex(@"version:\s*([^(\n]+)")]
    private static partial Regex FliteVersion();
}
