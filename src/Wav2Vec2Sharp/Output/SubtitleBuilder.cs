using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Output;

/// <summary>Groups timed words into subtitle cues: a new cue starts at a pause, when the cue would grow too long in time, or when its text would not fit the lines.</summary>
public static class SubtitleBuilder
{
    /// <summary>The cues for <paramref name="words"/>, in order.</summary>
    public static IReadOnlyList<SubtitleCue> Build(IReadOnlyList<TimedWord> words, SubtitleOptions? options = null)
    {
        options = (options ?? new SubtitleOptions()).Validate();
        var cues = new List<SubtitleCue>();
        var current = new List<TimedWord>();
        foreach (var word in words)
        {
            if (current.Count > 0)
            {
                bool pause = word.Start - current[^1].End > options.PauseSeconds;
                bool tooLong = word.End - current[0].Start > options.MaxCueSeconds;
                bool overflows = Wrap(current.Select(w => w.Text).Append(word.Text), options.MaxLineLength).Count > options.MaxLines;
                if (pause || tooLong || overflows)
                    Close();
            }
            current.Add(word);
        }
        Close();
        return cues;

        void Close()
        {
            if (current.Count == 0)
                return;
            cues.Add(new SubtitleCue(current[0].Start, current[^1].End, Wrap(current.Select(w => w.Text), options.MaxLineLength)));
            current.Clear();
        }
    }

    /// <summary>Fills lines of at most <paramref name="maxLength"/> characters word by word.</summary>
    public static IReadOnlyList<string> Wrap(IEnumerable<string> words, int maxLength)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in words)
        {
            if (line.Length == 0)
                line = word;
            else if (line.Length + 1 + word.Length <= maxLength)
                line += " " + word;
            else
            {
                lines.Add(line);
                line = word;
            }
        }
        if (line.Length > 0)
            lines.Add(line);
        return lines;
    }
}
