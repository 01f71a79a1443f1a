using Wav2Vec2Sharp.Configuration;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Evaluation;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.Evaluation;

/// <summary>Evaluation stops at the next utterance once its token is cancelled, as training and the corpus do.</summary>
public sealed class EvaluationCancellationTests
{
    [Fact]
    public void Evaluate_and_ComputeLogits_stop_at_the_next_utterance()
    {
        using var temp = new TempDir();
        var utterances = Enumerable.Range(0, 3).Select(i =>
        {
            var samples = SyntheticSpeech.Clip(16000, 60 + i);
            return new LabelledUtterance(temp.Write($"u{i}.wav", new WavBuilder { Data = WavBuilder.Pcm16(samples) }.ToBytes()), "A B", samples.Length);
        }).ToList();
        var manifest = new LabelledManifest(Path.Combine(temp.Root, "test.tsv"), LabelledManifestFormat.Fairseq, utterances, []);
        TorchSharp.torch.manual_seed(5);
        using var transcriber = new Transcriber(new Wav2Vec2ForCtc(TinyConfig.Create("group", false, convBias: false)),
            new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", "|", "A", "B", "C", "D", "E"]), new FeatureExtractorConfig(), chunking: ChunkingOptions.Disabled);
        using var cancel = new CancellationTokenSource();
        var seen = new List<int>();

        Assert.Throws<OperationCanceledException>(() => ModelEvaluation.Evaluate(transcriber, manifest, TextNormalizer.Default,
            new SynchronousProgress<EvaluationProgress>(p => { seen.Add(p.Done); cancel.Cancel(); }), cancellationToken: cancel.Token));
        Assert.Equal([1], seen);
        Assert.Throws<OperationCanceledException>(() => ModelEvaluation.ComputeLogits(transcriber, manifest, cancellationToken: cancel.Token));

        var (report, seconds) = ModelEvaluation.Evaluate(transcriber, manifest, TextNormalizer.Default);
        Assert.Equal(3, report.Utterances.Count);
        Assert.Equal(3.0, seconds, 6);
    }
}
