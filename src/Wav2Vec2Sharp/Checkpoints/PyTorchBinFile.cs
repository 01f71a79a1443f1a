using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Checkpoints;

/// <summary>Reads a <c>pytorch_model.bin</c>: a PyTorch <c>torch.save</c> zip holding a pickled state dict.</summary>
public static class PyTorchBinFile
{
    /// <summary>Reads every tensor of the state dict in <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">The file is missing, truncated, or not a PyTorch state dict.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException($"{path}: not a readable PyTorch state dict ({FirstLine(e.Message)}).", e);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
                result[name] = tensor;
            else
                throw new CheckpointException($"{path}: entry {entry.Key} is not a tensor; expected a flat state dict.");
        }
        return result;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('.');
}
