using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.SelfTraining;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Demo;

/// <summary>What the demo's teacher made of the unlabelled split.</summary>
/// <param name="ManifestPath">The pseudo-labels, a JSON-lines manifest (<see cref="PseudoLabeller.WriteJsonl"/>).</param>
/// <param name="Clips">Clips of the unlabelled split.</param>
/// <param name="Labelled">Clips with a (non-empty) pseudo-label.</param>
/// <param name="Seconds">Audio seconds of the labelled clips (from the durations the manifest records).</param>
/// <param name="Words">Word errors of the pseudo-labels against the texts the synthesiser spoke (which no model saw).</param>
public sealed record DemoPseudoLabels(string ManifestPath, int Clips, int Labelled, double Seconds, ErrorCounts Words);

/// <summary>
/// The demo's self-training step: the fine-tuned pretrained model (the teacher), decoding with the demo's LM and its
/// dev-tuned weights, transcribes the corpus's unlabelled split; a third model is then fine-tuned from the same
/// pretrained checkpoint on the labels and these pseudo-labels together.
/// </summary>
internal static class DemoSelfTraining
{
    /// <summary>The pseudo-labels' file name in the self-training folder.</summary>
    internal const string ManifestName = "pseudo_labels.jsonl";

    /// <summary>Clips the teacher transcribes together.</summary>
    private const int BatchSize = 16;

    /// <summary>
    /// Labels the clips of <paramref name="unlabelledJsonl"/> with the model in <paramref name="teacherModel"/> (beam search
    /// with <paramref name="languageModel"/> and <paramref name="weights"/>, or greedy when there is no LM) into
    /// <c><paramref name="folder"/>/pseudo_labels.jsonl</c>, which is kept and reused when it exists; scores the labels against
    /// the texts the corpus recorded for them.
    /// </summary>
    /// <exception cref="Wav2Vec2SharpException">No clip got a label, or a clip could not be read.</exception>
    internal static DemoPseudoLabels Label(string teacherModel, NGramLanguageModel? languageModel, LanguageModelWeights? weights, BeamSearchOptions beam,
        string unlabelledJsonl, string folder, TextNormalizer normalizer, IProgress<CountProgress>? progress, CancellationToken cancellation)
    {
        var spoken = LabelledManifest.Read(unlabelledJsonl, new LabelledManifestOptions { Normalizer = normalizer });
        var path = Path.Combine(folder, ManifestName);
        if (!File.Exists(path))
        {
            Func<Vocabulary, ICtcDecoder>? decoder = languageModel is null || weights is null
                ? null
                : vocabulary => new BeamSearchCtcDecoder(vocabulary, languageModel, beam with { Alpha = weights.Alpha, Beta = weights.Beta });
            using var teacher = Transcriber.Load(teacherModel, decoder);
            var problems = new List<string>();
            var result = PseudoLabeller.Label(teacher, spoken.Utterances.Select(u => u.AudioPath).ToList(), minConfidence: 0, BatchSize, progress,
                (clip, problem) => problems.Add($"{clip}: {problem}"), cancellation);
            if (problems.Count > 0)
                throw new Wav2Vec2SharpException($"{unlabelledJsonl}: {problems.Count} clip(s) could not be labelled, the first {problems[0]}");
            if (result.Labels.Count == 0)
                throw new Wav2Vec2SharpException($"{unlabelledJsonl}: the teacher {teacherModel} gave none of its {spoken.Utterances.Count} clips a transcript.");
            PseudoLabeller.WriteJsonl(path, result.Labels);
        }
        var labels = LabelledManifest.Read(path, new LabelledManifestOptions { Normalizer = normalizer }).Utterances;
        var byPath = labels.ToDictionary(u => Path.GetFullPath(u.AudioPath), u => u.Text);
        // a clip the teacher left empty counts as deleted words
        var words = ErrorRates.WordErrors(spoken.Utterances.Select(u => (u.Text, byPath.GetValueOrDefault(Path.GetFullPath(u.AudioPath), ""))));
        return new DemoPseudoLabels(path, spoken.Utterances.Count, labels.Count, labels.Sum(u => (u.NumSamples ?? 0) / 16000.0), words);
    }
}
