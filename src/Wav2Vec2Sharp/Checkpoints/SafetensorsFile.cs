using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// name to its dtype, shape and byte range, then the raw little-endian tensor bytes. Written files carry
/// <c>{"__metadata__": {"format": "pt"}}</c>, which Hugging Face transformers requires.
/// </summary>
/// <remarks>Our own: the format is a page of specification, and the writer must add the metadata transformers checks;
/// round trips with transformers are tested.</remarks>
public static class SafetensorsFile
{
    private static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>Reads every tensor of <paramref name="path"/> (CPU tensors, dtypes as stored).</summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, or not safetensors.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot be read ({e.Message}).", e);
        }
        void Fail(string problem) => throw new CheckpointException($"{path}: {problem}.");

        if (bytes.Length < 8)
            Fail($"not a safetensors file (only {bytes.Length} bytes)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            Fail($"not a safetensors file, or truncated (header of {headerLength} bytes, file of {bytes.Length})");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))?.AsObject()
                     ?? throw new JsonException("null header");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CheckpointException($"{path}: not a safetensors file (its header is not a JSON object).", e);
        }

        long dataStart = 8 + (long)headerLength;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__")
                    continue;
                var dtypeName = node?["dtype"]?.GetValue<string>() ?? "";
                if (!DTypes.TryGetValue(dtypeName, out var dtype))
                    Fail($"tensor {name} has unsupported dtype \"{dtypeName}\"");
                var shape = node!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                    Fail($"tensor {name} has invalid data_offsets");
                if (dataStart + offsets[1] > bytes.Length)
                    Fail($"truncated: tensor {name} needs bytes up to {dataStart + offsets[1]}, the file has {bytes.Length}");
                var tensor = empty(shape, dtype);
                if (offsets[1] - offsets[0] != tensor.NumberOfElements * tensor.ElementSize)
                    Fail($"tensor {name} has {offsets[1] - offsets[0]} bytes, but shape [{string.Join(", ", shape)}] of {dtypeName} needs {tensor.NumberOfElements * tensor.ElementSize}");
                if (tensor.NumberOfElements > 0)
                    tensor.bytes = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
                result[name] = tensor;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            foreach (var t in result.Values)
                t.Dispose();
            throw new CheckpointException($"{path}: not a safetensors file (malformed header entry).", e);
        }
        return result;
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically, in name order.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors) =>
        AtomicFile.Write(path, (Stream stream) => Write(stream, tensors));

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/>, in name order.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var name in names)
        {
            var t = tensors[name];
            long length = t.NumberOfElements * t.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = DTypes.First(kv => kv.Value == t.dtype).Key,
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
        stream.Write(lengthBytes);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        foreach (var name in names)
        {
            using var scope = NewDisposeScope(); // holds the detached and host copies while libtorch makes the next from them
            var cpu = tensors[name].detach().cpu().contiguous();
            if (cpu.NumberOfElements > 0)
                stream.Write(cpu.bytes);
        }
    }
}
