using System.Security.Cryptography;
using System.Text;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.LanguageModels;
using Wav2Vec2Sharp.SelfTraining;
using Wav2Vec2Sharp.Text;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Demo;

/// <summary>What the demo's teacher made of the unlabelled split.</summary>
/// <param name="ManifestPath">The pseudo-labels, a JSON-lines manifest (<see cref="PseudoLabeller.WriteJsonl"/>) with audio paths
/// relative to its folder; not written when <paramref name="Labelled"/> is 0.</param>
/// <param name="Clips">Clips of the unlabelled split.</param>
/// <param name="Labelled">Clips with a (non-empty) pseudo-label.</param>
/// <param name="Seconds">Audio seconds of the labelled clips (from the durations the manifest records).</param>
/// <param name="Words">Word errors of the pseudo-labels against the texts the synthesiser spoke; a clip left without a
/// transcript counts as deleted words.</param>
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

    /// <summary>What the pseudo-labels were made from (teacher, LM, weights, clips), beside them.</summary>
    internal const string FingerprintName = "pseudo_labels.source";

    /// <summary>Clips the teacher transcribes together.</summary>
    private const int BatchSize = 16;

    /// <summary>
    /// Labels the clips of the unlabelled split (<paramref name="spoken"/>, read from <paramref name="unlabelledJsonl"/>) with
    /// the model in <paramref name="teacherModel"/> (beam search
    /// with <paramref name="languageModel"/> and <paramref name="weights"/>, or greedy when there is no LM) into
    /// <c><paramref name="folder"/>/pseudo_labels.jsonl</c>, and scores the labels against the texts the corpus recorded for
    /// them. Labels made earlier from the same teacher, LM, weights and clips are read back instead.
    /// </summary>
    /// <exception cref="Wav2Vec2SharpException">A clip could not be read, or the folder holds a self-training run on
    /// pseudo-labels made from something else.</exception>
    internal static DemoPseudoLabels Label(string teacherModel, string? languageModelPath, NGramLanguageModel? languageModel, LanguageModelWeights? weights,
        BeamSearchOptions beam, string unlabelledJsonl, IReadOnlyList<LabelledUtterance> spoken, string folder, TextNormalizer normalizer,
        IProgress<CountProgress>? progress, CancellationToken cancellation)
    {
        var path = Path.Combine(folder, ManifestName);
        var fingerprintPath = Path.Combine(folder, FingerprintName);
        bool withLm = languageModel is not null && weights is not null;
        var fingerprint = Fingerprint(teacherModel, withLm ? languageModelPath : null, withLm ? weights : null, spoken);
        if (!File.Exists(fingerprintPath) || File.ReadAllText(fingerprintPath) != fingerprint)
        {
            if (File.Exists(Path.Combine(folder, FineTuningRun.OptionsFile)))
                throw new Wav2Vec2SharpException($"{folder} was self-trained on pseudo-labels of another teacher, LM or unlabelled split; give another output folder.");
            Directory.CreateDirectory(folder);
            File.Delete(fingerprintPath);
            File.Delete(path);
            Func<Vocabulary, ICtcDecoder>? decoder = withLm
                ? vocabulary => new BeamSearchCtcDecoder(vocabulary, languageModel, beam with { Alpha = weights!.Alpha, Beta = weights.Beta })
                : null;
            using var teacher = Transcriber.Load(teacherModel, decoder);
            var problems = new List<string>();
            var result = PseudoLabeller.Label(teacher, spoken.Select(u => u.AudioPath).ToList(), minConfidence: 0, BatchSize, progress,
                (clip, problem) => problems.Add($"{clip}: {problem}"), cancellation);
            if (problems.Count > 0)
                throw new Wav2Vec2SharpException($"{unlabelledJsonl}: {problems.Count} clip(s) could not be labelled, the first {problems[0]}");
            // relative to the labels' folder, so that the demo folder can move
            if (result.Labels.Count > 0)
                PseudoLabeller.WriteJsonl(path, result.Labels.Select(l => l with { AudioPath = Path.GetRelativePath(folder, l.AudioPath) }));
            AtomicFile.WriteAllText(fingerprintPath, fingerprint);
        }
        var labels = File.Exists(path) ? LabelledManifest.Read(path, new LabelledManifestOptions { Normalizer = normalizer }).Utterances : [];
        var byPath = labels.ToDictionary(u => u.AudioPath, u => u.Text);
        var words = ErrorRates.WordErrors(spoken.Select(u => (u.Text, byPath.GetValueOrDefault(u.AudioPath, ""))));
        return new DemoPseudoLabels(path, spoken.Count, labels.Count, labels.Sum(u => (u.NumSamples ?? 0) / (double)Audio.AudioFile.DefaultSampleRate), words);
    }

    // SHA-256 of the teacher's weights and vocabulary, the LM file, the weights and the clips' paths relative to the split
    private static string Fingerprint(string teacherModel, string? languageModelPath, LanguageModelWeights? weights, IReadOnlyList<LabelledUtterance> spoken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { Path.Combine(teacherModel, "model.safetensors"), Path.Combine(teacherModel, "vocab.json"), languageModelPath })
        {
            if (file is null)
                continue;
            using var stream = File.OpenRead(file);
            hash.AppendData(SHA256.HashData(stream));
        }
        var text = new StringBuilder();
        text.Append(weights is null ? "greedy" : FormattableString.Invariant($"alpha {weights.Alpha:R} beta {weights.Beta:R}")).Append('\n');
        foreach (var utterance in spoken)
            text.Append(Path.GetFileName(utterance.AudioPath)).Append('\n');
        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.GetHashAndReset()) + "\n";
    }
}
