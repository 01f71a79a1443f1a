using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Tests.Support;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Tests.Parity;

/// <summary>The torchaudio reference tensors of one fixture directory (see tools/reference/make_fixtures.py).</summary>
internal sealed class ParityFixture : IDisposable
{
    private readonly Dictionary<string, Tensor> _inputs;
    private readonly Dictionary<string, Tensor> _activations;

    public ParityFixture(string directory)
    {
        Directory = Fixtures.Path("parity/" + directory);
        _inputs = SafetensorsFile.Read(Fixtures.Path("parity/inputs.safetensors"));
        _activations = SafetensorsFile.Read(Path.Combine(Directory, "activations.safetensors"));
    }

    public string Directory { get; }

    public static IEnumerable<string> Variants => ["group_postln_nobias", "group_postln_bias", "group_stableln_nobias", "group_stableln_bias",
        "layer_postln_nobias", "layer_postln_bias", "layer_stableln_nobias", "layer_stableln_bias"];

    public Tensor Input(string key) => _inputs[key];

    public Tensor this[string key] => _activations[key];

    /// <summary>Compares <paramref name="actual"/> with the reference <paramref name="key"/> (e.g. "batch.logits") at the manifest's tolerance.</summary>
    public void AssertClose(string key, Tensor actual)
    {
        var block = key[(key.IndexOf('.') + 1)..];
        TensorAssert.Close(_activations[key], actual, TensorAssert.ParityTolerance(block), $"{Path.GetFileName(Directory)}/{key}");
    }

    public void Dispose()
    {
        foreach (var t in _inputs.Values.Concat(_activations.Values))
            t.Dispose();
    }
}
