using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Onnx;
using Wav2Vec2Sharp.Onnx.Export;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Onnx;

public sealed class OnnxAcousticModelTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Theory]
    [InlineData("group_postln_bias")]
    [InlineData("layer_stableln_bias")]
    public void A_transcriber_on_the_ONNX_export_gives_the_TorchSharp_transcript_and_logits_also_for_a_chunked_clip(string variant)
    {
        var source = Fixtures.Path("parity/" + variant);
        var exported = Path.Combine(_temp.Root, "onnx");
        OnnxExporter.Export(source, exported);
        var samples = OnnxTestSupport.Inputs()["single.input_values"][0].data<float>().ToArray();
        var longClip = Enumerable.Range(0, 4).SelectMany(i => samples.Select(s => s * (1 + 0.2f * i))).ToArray(); // 4 s
        var chunking = new ChunkingOptions { ChunkSeconds = 1.5, StrideSeconds = 0.25 };

        using var torch = Transcriber.Load(source);
        using var onnx = OnnxAcousticModel.LoadTranscriber(exported);
        torch.Chunking = onnx.Chunking = chunking;

        Assert.IsType<OnnxAcousticModel>(onnx.AcousticModel);
        foreach (var clip in new[] { samples, longClip })
        {
            var expected = torch.Transcribe(clip);
            var actual = onnx.Transcribe(clip);
            Assert.Equal(expected.Text, actual.Text);
            Assert.Equal(expected.Frames, actual.Frames);
            TensorAssert.Close(TorchSharp.torch.tensor(expected.Logits), TorchSharp.torch.tensor(actual.Logits), new Tolerance(1e-4, 1e-5), "logits");
        }
        var batch = onnx.TranscribeBatch([longClip, samples, samples[..8000]], batchSize: 4);
        Assert.Equal([torch.Transcribe(longClip).Text, torch.Transcribe(samples).Text, torch.Transcribe(samples[..8000]).Text], batch.Select(t => t.Text));
    }

    [Fact]
    public void A_directory_without_model_onnx_or_with_a_corrupt_one_is_refused_naming_the_file()
    {
        var directory = Path.Combine(_temp.Root, "model");
        Directory.CreateDirectory(directory);
        File.Copy(Fixtures.Path("parity/group_postln_bias/config.json"), Path.Combine(directory, "config.json"));

        var missing = Assert.Throws<CheckpointException>(() => OnnxAcousticModel.Load(directory));
        Assert.Equal($"{directory} has no model.onnx.", missing.Message);

        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), [0x08, 0x08, 0x12, 0xff, 0x01, 0x00]);
        var corrupt = Assert.Throws<CheckpointException>(() => OnnxAcousticModel.Load(directory));
        Assert.StartsWith($"{Path.Combine(directory, "model.onnx")}: ONNX Runtime cannot load it:", corrupt.Message);
    }

    [Fact]
    public void Exporting_a_model_without_a_vocabulary_or_into_its_own_directory_is_refused()
    {
        var body = Path.Combine(_temp.Root, "body");
        Directory.CreateDirectory(body);
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Fixtures.Path("parity/group_postln_bias/" + file), Path.Combine(body, file));

        var noVocabulary = Assert.Throws<CheckpointException>(() => OnnxExporter.Export(body, Path.Combine(_temp.Root, "out")));
        Assert.Equal($"{body} has no vocab.json: only a fine-tuned CTC model can be exported.", noVocabulary.Message);
        Assert.False(Directory.Exists(Path.Combine(_temp.Root, "out")));
        var source = Fixtures.Path("parity/group_postln_bias");
        var self = Assert.Throws<CheckpointException>(() => OnnxExporter.Export(source, source + "/"));
        Assert.Equal($"{source}/: the export needs a directory other than the model's own.", self.Message);
        var target = Path.Combine(_temp.Root, "model.onnx");
        File.WriteAllText(target, "");
        var onFile = Assert.Throws<CheckpointException>(() => OnnxExporter.Export(source, target));
        Assert.Equal($"{target} is a file: the export writes a directory (model.onnx beside the model's config and vocabulary).", onFile.Message);
    }

    [Fact]
    public void A_disposed_ONNX_model_says_so()
    {
        var exported = Path.Combine(_temp.Root, "onnx");
        OnnxExporter.Export(Fixtures.Path("parity/group_postln_bias"), exported);
        var transcriber = OnnxAcousticModel.LoadTranscriber(exported);
        var model = transcriber.AcousticModel;
        transcriber.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Run(new float[16000]));
        Assert.Throws<ObjectDisposedException>(() => transcriber.Transcribe(new float[16000]));
    }

    public void Dispose() => _temp.Dispose();
}
