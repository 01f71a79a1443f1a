using System.Globalization;
using System.Text;
using Wav2Vec2Sharp.Corpus;
using Wav2Vec2Sharp.Training;

namespace Wav2Vec2Sharp.Demo;

/// <summary>A dev-set CER logged during fine-tuning.</summary>
internal sealed record DevPoint(long Update, double Cer);

/// <summary>The demo's markdown report: the result table (every model on every test set of <see cref="DemoPipeline.TestSets"/>),
/// the dev CER curve of every model, and the settings.</summary>
internal static class DemoReport
{
    /// <summary>The report as markdown.</summary>
    internal static string Markdown(DemoOptions options, CorpusResult corpus, FineTuningData data, string pretrained, DemoLanguageModel? lm, List<DemoScore> scores,
        List<(string Model, IReadOnlyList<DevPoint> Points)> devCurves, TimeSpan elapsed, DemoPseudoLabels? pseudoLabels = null)
    {
        // files under the output folder are named relative to it, so the report reads the same wherever the folder moves
        string Local(string path) => Path.GetRelativePath(options.OutputDirectory, path) is var relative && !relative.StartsWith("..", StringComparison.Ordinal)
            && !Path.IsPathRooted(relative) ? relative : path;
        var text = new StringBuilder();
        text.AppendLine("# Wav2Vec2Sharp demo: pretraining versus training from scratch").AppendLine();
        bool digits = options.Task == DemoTask.Digits;
        text.AppendLine($"Fine-tuned on {data.TrainUtterances} utterances ({data.TrainSeconds / 60:0.0} min) of synthetic speech " +
                        (digits ? "(connected digits: random strings of 4–7 digits, eleven words: zero, oh, one … nine), " : "(open-vocabulary English sentences), ") +
                        $"{options.FineTuneUpdates} updates each" +
                        (pseudoLabels is not { Labelled: > 0 } ? "" : FormattableString.Invariant(
                            $"; the self-trained model on these labels and the pretrained model's transcripts of {pseudoLabels.Seconds / 3600:0.00} h of unlabelled speech, {options.SelfTrainingUpdates} updates")) +
                        ". Greedy CTC decoding" +
                        (lm is null ? ", no language model" : $", and beam search (width {options.BeamWidth}) with a word {lm.Order}-gram LM whose weights were tuned on the dev set") +
                        $". Total time {elapsed:hh\\:mm\\:ss}.").AppendLine();
        text.AppendLine("| model | test set | WER | CER | WER +LM | CER +LM | substitutions | deletions | insertions | words |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in scores)
            text.AppendLine($"| {s.Model} | {s.TestSet} | {s.Wer:P1} | {s.Cer:P1} | {Rate(s.LmWer)} | {Rate(s.LmCer)} | " +
                            $"{s.Words.Substitutions} | {s.Words.Deletions} | {s.Words.Insertions} | {s.Words.ReferenceLength} |");
        text.AppendLine().AppendLine("![WER](wer.png)").AppendLine();
        var updates = devCurves.SelectMany(c => c.Points.Select(p => p.Update)).Distinct().Order().ToList();
        if (updates.Count > 0)
        {
            text.AppendLine("Dev CER (greedy) during fine-tuning, by update:").AppendLine();
            text.AppendLine("| model | " + string.Join(" | ", updates) + " |");
            text.AppendLine("|---|" + string.Concat(updates.Select(_ => "---|")));
            foreach (var (model, points) in devCurves)
                text.AppendLine($"| {model} | " + string.Join(" | ", updates.Select(u => Rate(points.LastOrDefault(p => p.Update == u)?.Cer))) + " |");
            text.AppendLine();
        }
        text.AppendLine("## Settings").AppendLine();
        text.AppendLine($"- pretrained model: `{pretrained}`");
        text.AppendLine($"- corpus: `{Local(corpus.ReportPath)}` ({corpus.Duration.TotalHours:0.00} h; splits: " +
                        string.Join(", ", corpus.Splits.Select(s => $"{s.Name} {s.Duration.TotalMinutes:0.0} min / {s.SpeakerIds.Count} speakers")) + ")");
        var recipe = FineTuningOptions.Small;
        text.AppendLine($"- fine-tuning: recipe `small`, {options.FineTuneUpdates} updates, peak learning rate {recipe.PeakLr:g3} (tri-stage), " +
                        $"batches of ≤ {options.FineTuneMaxTokens} padded samples, time masking {recipe.MaskTimeProb:g3}, layerdrop {recipe.Layerdrop:g3}, " +
                        $"best checkpoint by dev {recipe.BestCheckpointMetric.ToUpperInvariant()}; the pretrained model keeps its CNN frozen and trains only the CTC head " +
                        $"for the first {options.FreezeUpdates} updates; the from-scratch model trains every weight from the start");
        if (pseudoLabels is { Labelled: 0 })
            text.AppendLine(FormattableString.Invariant($"- self-training: the fine-tuned pretrained model gave none of the {pseudoLabels.Clips} clips of the unlabelled split a transcript, so no model was self-trained"));
        else if (pseudoLabels is not null)
            text.AppendLine(FormattableString.Invariant($"- self-training: the fine-tuned pretrained model ({(lm is null ? "greedy decoding" : "beam search with the LM and its dev-tuned weights")}) ") +
                            FormattableString.Invariant($"transcribed the {pseudoLabels.Clips} clips of the unlabelled split (the seen speakers, none of the dev or test sentences) into `{Local(pseudoLabels.ManifestPath)}`; ") +
                            FormattableString.Invariant($"{pseudoLabels.Labelled} non-empty transcripts ({pseudoLabels.Seconds / 3600:0.00} h), whose word error rate against what the synthesiser spoke is {pseudoLabels.Words.Rate:P1}; ") +
                            FormattableString.Invariant($"`{DemoPipeline.SelfTrainedModel}` was fine-tuned from the same pretrained checkpoint, with the same recipe{(options.SelfTrainingAugmentation is { } student ? $" but augmentation {student.Describe()}" : "")}, on the labels and these transcripts together for {options.SelfTrainingUpdates} updates"));
        text.AppendLine($"- augmentation of the training audio ({(pseudoLabels is { Labelled: > 0 } && options.SelfTrainingAugmentation is not null ? "the pretrained and from-scratch models" : "every model")}, drawn anew every epoch): " +
                        $"{options.Augmentation.Describe()}; dev and test audio are never augmented");
        var channels = options.ChannelTests.Distinct().ToList();
        if (channels.Count > 0)
            text.AppendLine("- channel-shift tests (the seen-speaker test's utterances and texts heard through another channel; scored only, never used to " +
                            "train or to choose a checkpoint or LM weights): " + string.Join("; ", channels.Select(Describe)));
        if (lm is not null)
        {
            text.AppendLine($"- language model: `{Local(lm.ArpaPath)}`, interpolated modified Kneser-Ney {lm.Order}-gram from {lm.Sentences} " +
                            $"{(digits ? "digit strings" : "sentences")} (`{Local(lm.TextPath)}`) of the corpus's text sources; the {lm.HeldOutSentences} {(digits ? "strings" : "sentences")} spoken in the dev and test sets{(pseudoLabels is null ? "" : " and in the unlabelled audio")} were removed");
            foreach (var model in scores.Where(s => s.LmWeights is not null).DistinctBy(s => s.Model))
                text.AppendLine(FormattableString.Invariant($"- LM weights of the {model.Model} model (best dev WER over α ∈ {{{string.Join(", ", options.LmAlphas)}}}, β ∈ {{{string.Join(", ", options.LmBetas)}}}): α {model.LmWeights!.Alpha:0.##}, β {model.LmWeights.Beta:0.##} (dev WER {model.LmWeights.Wer:P1})"));
        }
        text.AppendLine("- curves: `pretrain/curves.png` (when pretrained here), `finetune_pretrained/curves.png`, " +
                        (pseudoLabels is not { Labelled: > 0 } ? "" : $"`{DemoPipeline.SelfTrainingFolder}/curves.png`, ") + "`finetune_scratch/curves.png`");
        return text.ToString();
    }

    /// <summary>The dev evaluations a fine-tuning run logged in its metrics file (a resumed run may log an update twice;
    /// <see cref="Markdown"/> takes the last).</summary>
    internal static IReadOnlyList<DevPoint> DevCurve(string metricsPath) =>
        File.Exists(metricsPath)
            ? MetricsLog.Read(metricsPath)
                .Where(r => (string?)r["split"] == "valid" && r["cer"] is not null && r["update"] is not null)
                .Select(r => new DevPoint((long)r["update"]!, (double)r["cer"]!))
                .ToList()
            : [];

    private static string Describe(ChannelTest channel) => channel switch
    {
        ChannelTest.Telephone => "telephone: the 300–3400 Hz band at 8 kHz with G.711 µ-law",
        ChannelTest.Mp3 => "MP3: a LAME round trip at 16 kb/s",
        ChannelTest.Reverb => "reverberant: a synthetic room, RT60 0.5 s, direct-to-reverberant ratio 3 dB",
        ChannelTest.Noise10 => "noise: pink noise at 10 dB SNR",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    } + $" (`{DemoPipeline.ChannelTestSplit(channel)}`)";

    private static string Rate(double? rate) => rate is { } r ? r.ToString("P1", CultureInfo.InvariantCulture) : "—";
}
