using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.SelfTraining;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Text;

namespace Wav2Vec2Sharp.Tests.SelfTraining;

public sealed class PseudoLabellerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    // Vocabulary of three: 0 (blank), 1 and 2. Frame logits chosen so that the emitted tokens' posteriors are 2/3
    // (frame 0, token 1), 1/2 and 3/4 (frames 2 and 3, token 2); frame 1 is a blank and does not count.
    private static Transcription Made(params CtcToken[] tokens)
    {
        float[] logits =
        [
            0, MathF.Log(4), 0,
            MathF.Log(9), 0, 0,
            0, 0, MathF.Log(2),
            0, 0, MathF.Log(6),
        ];
        return new Transcription("AB", logits, 4, 3, 0.08, new CtcHypothesis("AB", tokens, -1.0), 0.02);
    }

    [Fact]
    public void Confidence_is_the_geometric_mean_of_the_emitted_tokens_frame_posteriors()
    {
        double confidence = PseudoLabeller.Confidence(Made(new CtcToken(1, 0, 0), new CtcToken(2, 2, 3)));

        Assert.Equal(Math.Pow(2.0 / 3 * 0.5 * 0.75, 1.0 / 3), confidence, 6);
    }

    [Fact]
    public void A_hypothesis_without_tokens_has_no_confidence()
    {
        Assert.Equal(0, PseudoLabeller.Confidence(Made()));
    }

    [Fact]
    public void The_written_manifest_reads_back_as_labelled_data()
    {
        var audio = Path.Combine(_temp.Root, "clips", "a.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(audio)!);
        File.WriteAllBytes(audio, []);
        var path = Path.Combine(_temp.Root, "out", "pseudo.jsonl");

        PseudoLabeller.WriteJsonl(path, [new PseudoLabel(audio, "CAFÉ OLÉ", 1.25, 0.875)]);
        var manifest = LabelledManifest.Read(path);

        var utterance = Assert.Single(manifest.Utterances);
        Assert.Equal(audio, utterance.AudioPath);
        Assert.Equal("CAFÉ OLÉ", utterance.Text);
        Assert.Equal($"{{\"audio_filepath\":\"{audio}\",\"text\":\"CAFÉ OLÉ\",\"duration\":1.25,\"confidence\":0.875}}\n", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }
}
