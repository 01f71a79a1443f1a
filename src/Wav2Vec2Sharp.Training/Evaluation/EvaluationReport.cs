using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Evaluation;

/// <summary>
/// Scores hypotheses against references utterance by utterance and totals them: corpus WER and CER are total errors
/// over total reference words or characters (see <see cref="ErrorRates"/>). Writes per-utterance TSV or JSONL files and
/// a JSON summary, each atomically. Safe to add to from several threads.
/// </summary>
/// <example>
/// <code>
/// var report = new EvaluationReport(TextNormalizer.Default);
/// foreach (var u in manifest.Utterances)
///     report.Add(u.AudioPath, u.Text, transcriber.TranscribeFile(u.AudioPath).Text);
/// report.WriteSummary("eval/summary.json");      // {"utterances": …, "wer": …, "cer": …, …}
/// report.WriteUtterancesTsv("eval/utterances.tsv");
/// </code>
/// </example>
public sealed class EvaluationReport
{
    private readonly List<UtteranceResult> _utterances = [];
    private readonly Lock _lock = new();
    private ErrorCounts _words;
    private ErrorCounts _characters;

    /// <summary>Creates an empty report.</summary>
    /// <param name="normalizer">Applied to both texts before scoring; when null they are compared as given (split on whitespace).</param>
    public EvaluationReport(TextNormalizer? normalizer = null) => Normalizer = normalizer;

    /// <summary>The normaliser applied to both texts, if any.</summary>
    public TextNormalizer? Normalizer { get; }

    /// <summary>The utterances scored so far, in the order they were added.</summary>
    public IReadOnlyList<UtteranceResult> Utterances
    {
        get
        {
            lock (_lock)
                return _utterances.ToArray();
        }
    }

    /// <summary>The word counts over all utterances.</summary>
    public ErrorCounts WordCounts
    {
        get
        {
            lock (_lock)
                return _words;
        }
    }

    /// <summary>The character counts over all utterances.</summary>
    public ErrorCounts CharacterCounts
    {
        get
        {
            lock (_lock)
                return _characters;
        }
    }

    /// <summary>The corpus word error rate: total word errors over total reference words (NaN when there are errors but no reference words).</summary>
    public double WordErrorRate => WordCounts.Rate;

    /// <summary>The corpus character error rate: total character errors over total reference characters.</summary>
    public double CharacterErrorRate => CharacterCounts.Rate;

    /// <summary>
    /// The <see cref="ErrorRateInterval.Bootstrap"/> interval of <see cref="WordErrorRate"/> over the utterances so far:
    /// how far the WER could move on another set of this size (see <see cref="ErrorRateInterval"/>).
    /// </summary>
    /// <param name="level">The coverage, in (0, 1).</param>
    public ErrorRateInterval WordErrorRateInterval(double level = 0.95) => WordInterval(Utterances, level);

    /// <summary>The <see cref="ErrorRateInterval.Bootstrap"/> interval of <see cref="CharacterErrorRate"/> over the utterances so far.</summary>
    /// <param name="level">The coverage, in (0, 1).</param>
    public ErrorRateInterval CharacterErrorRateInterval(double level = 0.95) => CharacterInterval(Utterances, level);

    /// <summary>Scores one utterance and adds it to the totals.</summary>
    /// <param name="id">A name for the utterance in the per-utterance files.</param>
    /// <param name="reference">What was said.</param>
    /// <param name="hypothesis">What was recognised.</param>
    public UtteranceResult Add(string id, string reference, string hypothesis)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        var r = Normalizer?.Normalize(reference) ?? reference;
        var h = Normalizer?.Normalize(hypothesis) ?? hypothesis;
        var result = new UtteranceResult(id, r, h, ErrorRates.AlignWords(r, h), ErrorRates.AlignCharacters(r, h));
        lock (_lock)
        {
            _utterances.Add(result);
            _words += result.Words.Counts;
            _characters += result.Characters.Counts;
        }
        return result;
    }

    /// <summary>
    /// The summary as a JSON object: <c>utterances</c>, <c>wer</c>, <c>cer</c> (null when undefined), <c>substitutions</c>,
    /// <c>deletions</c>, <c>insertions</c>, <c>hits</c>, <c>reference_words</c>, <c>hypothesis_words</c> (word level),
    /// <c>character_errors</c>, <c>reference_characters</c>, and <c>wer_interval_95</c> and <c>cer_interval_95</c>: the
    /// 95 % bootstrap intervals of the rates as <c>[low, high]</c> (see <see cref="ErrorRateInterval"/>; null when undefined).
    /// </summary>
    public string SummaryJson()
    {
        UtteranceResult[] utterances;
        ErrorCounts words, characters;
        lock (_lock)
            (utterances, words, characters) = (_utterances.ToArray(), _words, _characters);
        return EvaluationReportWriter.Summary(utterances.Length, words, characters, WordInterval(utterances), CharacterInterval(utterances));
    }

    private static ErrorRateInterval WordInterval(IReadOnlyList<UtteranceResult> utterances, double level = 0.95) =>
        ErrorRateInterval.Bootstrap(utterances.Select(u => u.Words.Counts).ToArray(), level);

    private static ErrorRateInterval CharacterInterval(IReadOnlyList<UtteranceResult> utterances, double level = 0.95) =>
        ErrorRateInterval.Bootstrap(utterances.Select(u => u.Characters.Counts).ToArray(), level);

    /// <summary>Writes <see cref="SummaryJson"/> to <paramref name="path"/> atomically.</summary>
    public void WriteSummary(string path) => AtomicFile.WriteAllText(path, SummaryJson());

    /// <summary>
    /// Writes one tab-separated line per utterance, after a header: <c>id wer cer substitutions deletions insertions
    /// reference_words reference hypothesis</c> (tabs and line breaks inside fields become spaces; an undefined rate is <c>NaN</c>).
    /// </summary>
    public void WriteUtterancesTsv(string path) => AtomicFile.WriteAllText(path, EvaluationReportWriter.Tsv(Utterances));

    /// <summary>
    /// Writes one JSON object per utterance: <c>id</c>, <c>reference</c>, <c>hypothesis</c>, <c>wer</c>, <c>cer</c>, the word
    /// counts, <c>character_errors</c>, <c>reference_characters</c> and <c>alignment</c> (the word alignment as
    /// <c>{"op": "C|S|D|I", "ref": …, "hyp": …}</c> steps).
    /// </summary>
    public void WriteUtterancesJsonl(string path) => AtomicFile.WriteAllText(path, EvaluationReportWriter.Jsonl(Utterances));
}
