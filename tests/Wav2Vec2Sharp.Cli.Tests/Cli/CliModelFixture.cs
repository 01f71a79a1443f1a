using System.Buffers.Binary;
using Wav2Vec2Sharp.Checkpoints;
using Wav2Vec2Sharp.Decoding;
using Wav2Vec2Sharp.Tests.Audio;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Cli;

/// <summary>The tiny parity model (12-token vocabulary, normalisation off) and its one-second input, in a temporary folder.</summary>
internal sealed class CliModelFixture : IDisposable
{
    public CliModelFixture()
    {
        Model = Path.Combine(Temp.Root, "model");
        Directory.CreateDirectory(Model);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json" })
            File.Copy(Fixtures.Path("parity/layer_stableln_bias/" + file), Path.Combine(Model, file));
        File.WriteAllText(Path.Combine(Model, "preprocessor_config.json"), "{\"do_normalize\": false, \"sampling_rate\": 16000}");
        var inputs = SafetensorsFile.Read(Fixtures.Path("parity/inputs.safetensors"));
        Samples = inputs["single.input_values"][0].data<float>().ToArray();
    }

    public TempDir Temp { get; } = new();

    public string Model { get; }

    public float[] Samples { get; }

    /// <summary>Greedy transcript of the reference logits.</summary>
    public string ExpectedText()
    {
        var activations = SafetensorsFile.Read(Fixtures.Path("parity/layer_stableln_bias/activations.safetensors"));
        var logits = activations["single.logits"][0];
        return new GreedyCtcDecoder(Vocabulary.Load(Path.Combine(Model, "vocab.json"))).Decode(logits.data<float>().ToArray(), (int)logits.shape[0]);
    }

    /// <summary>Writes the samples as a float WAV at <paramref name="relativePath"/> under the temporary folder.</summary>
    public string Wav(string relativePath, float[]? samples = null)
    {
        samples ??= Samples;
        var bytes = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), samples[i]);
        var path = Path.Combine(Temp.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new WavBuilder { FormatTag = 3, BitsPerSample = 32, Data = bytes }.ToBytes());
        return path;
    }

    public void Dispose() => Temp.Dispose();
}
