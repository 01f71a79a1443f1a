using System.Text.Encodings.Web;
using System.Text.Json;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;

namespace Wav2Vec2Sharp.SelfTraining;

/// <summary>What <see cref="PseudoLabeller.Label"/> made of a set of unlabelled clips.</summary>
/// <param name="Labels">The kept labels, in input order.</param>
/// <param name="Transcribed">Clips the model transcribed (kept, below the confidence floor, or with an empty transcript).</param>
/// <param name="BelowConfidence">Transcribed clips whose confidence was below the floor.</param>
/// <param name="Empty">Transcribed clips whose transcript was empty (nothing to learn from).</param>
/// <param name="AudioSeconds">Seconds of audio transcribed.</param>
public sealed record PseudoLabelling(IReadOnlyList<PseudoLabel> Labels, int Transcribed, int BelowConfidence, int Empty, double AudioSeconds);

/// <summary>
/// Self-training: a fine-tuned model transcribes unlabelled audio, and its transcripts (pseudo-labels), filtered by
/// confidence, become training data for the next model together with the human labels. Give the teacher a beam-search
/// decoder with a language model or a lexicon: its pseudo-labels are then as accurate as its decoded transcripts.
/// </summary>
/// <example>
/// <code>
/// using var teacher = Transcriber.Load("runs/ft/model", vocabulary => new BeamSearchCtcDecoder(vocabulary, lm));
/// var result = PseudoLabeller.Label(teacher, AudioManifest.Open("unlabelled.tsv").Entries.Select(e => e.Path).ToList(), minConfidence: 0.8);
/// PseudoLabeller.WriteJsonl("pseudo.jsonl", result.Labels);   // then: w2v finetune --data train.jsonl --data pseudo.jsonl …
/// </code>
/// </example>
public static class PseudoLabeller
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Transcribes <paramref name="audioPaths"/> with <paramref name="teacher"/> and keeps each clip whose transcript is not
    /// empty and whose <see cref="Confidence"/> is at least <paramref name="minConfidence"/>.
    /// </summary>
    /// <param name="teacher">The fine-tuned model and its decoder.</param>
    /// <param name="audioPaths">The unlabelled clips.</param>
    /// <param name="minConfidence">The confidence floor, in [0, 1]; 0 keeps every non-empty transcript.</param>
    /// <param name="batchSize">Clips transcribed together (see <see cref="Transcriber.TranscribeBatch"/>); 1 for one at a time.</param>
    /// <param name="progress">Told after each clip how many are done.</param>
    /// <param name="skipped">Told (audio path, problem) about every clip that could not be read or transcribed.</param>
    /// <param name="cancellationToken">Checked before each clip, batch and window.</param>
    /// <returns>The kept labels and the counts of what was left out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minConfidence"/> is outside [0, 1] or <paramref name="batchSize"/> below 1.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static PseudoLabelling Label(Transcriber teacher, IReadOnlyList<string> audioPaths, double minConfidence = 0, int batchSize = 1,
        IProgress<CountProgress>? progress = null, Action<string, string>? skipped = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(audioPaths);
        if (!(minConfidence >= 0 && minConfidence <= 1))
            throw new ArgumentOutOfRangeException(nameof(minConfidence), minConfidence, "the confidence floor must be in [0, 1].");
        var labels = new List<PseudoLabel>();
        int transcribed = 0, below = 0, empty = 0, done = 0;
        double seconds = 0;
        foreach (var file in teacher.TranscribeFiles(audioPaths, batchSize, cancellationToken: cancellationToken))
        {
            progress?.Report(new CountProgress(++done, audioPaths.Count));
            var path = Path.GetFullPath(audioPaths[file.Index]);
            if (file.Result is not { } result)
            {
                skipped?.Invoke(path, file.Problem!);
                continue;
            }
            transcribed++;
            seconds += result.AudioSeconds;
            var text = result.Text.Trim();
            double confidence = Confidence(result);
            if (text.Length == 0)
                empty++;
            else if (confidence < minConfidence)
                below++;
            else
                labels.Add(new PseudoLabel(path, text, result.AudioSeconds, confidence));
        }
        return new PseudoLabelling(labels, transcribed, below, empty, seconds);
    }

    /// <summary>
    /// How sure the model is of <paramref name="transcription"/>'s best hypothesis: exp of the mean, over every frame of
    /// every emitted token (word delimiters included), of the log-softmax of the frame's logits at that token. 0 for a
    /// hypothesis without tokens.
    /// </summary>
    /// <param name="transcription">A transcription with its logits <c>[Frames, VocabSize]</c> and token frames.</param>
    public static double Confidence(Transcription transcription)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        var logits = transcription.Logits.AsSpan();
        int vocab = transcription.VocabSize;
        double sum = 0;
        long frames = 0;
        foreach (var token in transcription.Hypothesis.Tokens)
        {
            for (int t = token.StartFrame; t <= token.EndFrame; t++)
            {
                var row = logits.Slice(t * vocab, vocab);
                sum += row[token.Id] - GreedyCtcDecoder.LogSumExp(row);
                frames++;
            }
        }
        return frames == 0 ? 0 : Math.Exp(sum / frames);
    }

    /// <summary>
    /// Writes <paramref name="labels"/> atomically as a JSON-lines manifest that <c>w2v finetune --data</c> and
    /// <see cref="Text.LabelledManifest"/> read: one object per clip with <c>audio_filepath</c> (absolute), <c>text</c>,
    /// <c>duration</c> (seconds) and <c>confidence</c>.
    /// </summary>
    /// <param name="path">The file to write; its folder is created if needed.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteJsonl(string path, IEnumerable<PseudoLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(labels);
        AtomicFile.Write(path, (Stream stream) =>
        {
            foreach (var label in labels)
            {
                using (var json = new Utf8JsonWriter(stream, Relaxed))
                {
                    json.WriteStartObject();
                    json.WriteString("audio_filepath", label.AudioPath);
                    json.WriteString("text", label.Text);
                    json.WriteNumber("duration", Math.Round(label.DurationSeconds, 6));
                    json.WriteNumber("confidence", Math.Round(label.Confidence, 6));
                    json.WriteEndObject();
                }
                stream.WriteByte((byte)'\n');
            }
        });
    }
}
