using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Models;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Checkpoints;

/// <summary>
/// Directories written by Hugging Face transformers 5.17 itself (<c>save_pretrained</c>, random weights; made by
/// tools/interop/check_with_transformers.py export) load strictly and give transformers' logits.
/// </summary>
public sealed class TransformersExportTests
{
    [Theory]
    [InlineData("group_postln")]
    [InlineData("layer_stableln")]
    public void A_model_saved_by_transformers_5_reproduces_its_logits(string variant)
    {
        var directory = Fixtures.Path(Path.Combine("transformers", variant));
        using var scope = NewDisposeScope();
        var input = SafetensorsFile.Read(Fixtures.Path(Path.Combine("transformers", "input.safetensors")))["input_values"];
        var expected = SafetensorsFile.Read(Path.Combine(directory, "logits.safetensors"))["logits"];

        using var model = Wav2Vec2Pretrained.LoadForCtc(directory);
        model.eval();
        using var mode = inference_mode();
        using var output = model.call(input, null);

        TensorAssert.Close(expected, output.Logits, new Tolerance(2e-5, 1e-5), $"{variant} logits");
        Assert.Equal("|", Vocabulary.Load(Path.Combine(directory, "vocab.json"))[4]);
    }
}
