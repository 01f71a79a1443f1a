using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Evaluation;

/// <summary>Transcribes every utterance of a labelled manifest and scores it.</summary>
public static class ModelEvaluation
{
    /// <summary>
    /// Greedy transcripts of <paramref name="manifest"/>'s utterances scored against their references (both through
    /// <paramref name="normalizer"/>). Utterances whose audio cannot be read are reported through <paramref name="skipped"/>.
    /// </summary>
    /// <param name="transcriber">The model.</param>
    /// <param name="manifest">Labelled utterances.</param>
    /// <param name="normalizer">Text normalisation applied to both sides before alignment.</param>
    /// <param name="progress">Called after each utterance with (done, total, running report).</param>
    /// <param name="skipped">Told about every utterance that could not be transcribed.</param>
    /// <returns>The report and the seconds of audio transcribed.</returns>
    public static (EvaluationReport Report, double AudioSeconds) Evaluate(Transcriber transcriber, LabelledManifest manifest, TextNormalizer normalizer,
        Action<int, int, EvaluationReport>? progress = null, Action<string, string>? skipped = null)
    {
        var report = new EvaluationReport(normalizer);
        double seconds = 0;
        for (int i = 0; i < manifest.Utterances.Count; i++)
        {
            var utterance = manifest.Utterances[i];
            try
            {
                var result = transcriber.TranscribeFile(utterance.AudioPath);
                seconds += result.AudioSeconds;
                report.Add(utterance.AudioPath, utterance.Text, result.Text);
            }
            catch (Exception e) when (e is AudioDecodeException or ArgumentException)
            {
                skipped?.Invoke(utterance.AudioPath, e.Message);
            }
            progress?.Invoke(i + 1, manifest.Utterances.Count, report);
        }
        return (report, seconds);
    }
}
