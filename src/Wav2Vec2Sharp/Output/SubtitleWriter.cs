using System.Globalization;
using System.Text;

namespace Wav2Vec2Sharp.Output;

/// <summary>SubRip (<c>.srt</c>) and WebVTT (<c>.vtt</c>) text for subtitle cues, with <c>\n</c> line ends.</summary>
public static class SubtitleWriter
{
    /// <summary>SubRip: numbered cues, <c>00:01:02,345 --&gt; 00:01:04,000</c>, a blank line after each.</summary>
    public static string ToSrt(IReadOnlyList<SubtitleCue> cues)
    {
        var text = new StringBuilder();
        for (int i = 0; i < cues.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}\n");
            text.Append(CultureInfo.InvariantCulture, $"{Timestamp(cues[i].Start, ',')} --> {Timestamp(cues[i].End, ',')}\n");
            foreach (var line in cues[i].Lines)
                text.Append(line).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>WebVTT: the <c>WEBVTT</c> header, then cues timed <c>00:01:02.345 --&gt; 00:01:04.000</c>.</summary>
    public static string ToVtt(IReadOnlyList<SubtitleCue> cues)
    {
        var text = new StringBuilder("WEBVTT\n\n");
        foreach (var cue in cues)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Timestamp(cue.Start, '.')} --> {Timestamp(cue.End, '.')}\n");
            foreach (var line in cue.Lines)
                text.Append(line).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary><c>HH:MM:SS</c>, the separator, then milliseconds (rounded to the nearest millisecond; negative times clamp to 0).</summary>
    public static string Timestamp(double seconds, char separator)
    {
        long ms = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:D2}:{ms / 60_000 % 60:D2}:{ms / 1000 % 60:D2}{separator}{ms % 1000:D3}");
    }
}
