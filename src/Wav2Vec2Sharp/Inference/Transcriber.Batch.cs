using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Runtime;
using static TorchSharp.torch;

namespace Wav2Vec2Sharp.Inference;

public sealed partial class Transcriber
{
    /// <summary>
    /// Transcribes many clips (mono, 16 kHz) together: clips that fit one window go through the Transformer in
    /// length-sorted batches of up to <paramref name="batchSize"/>, the rest one by one as <see cref="Transcribe(ReadOnlySpan{float})"/>
    /// does. Each clip's CNN runs on the clip alone (a group-norm CNN normalises over time, so padding would change it),
    /// then the features are right-padded and the Transformer masks the padded frames out of attention and the positional
    /// convolution, so every transcript equals the clip's own transcript (logits within float rounding of the batch's
    /// other matrix shapes).
    /// </summary>
    /// <param name="clips">The clips, in any order.</param>
    /// <param name="batchSize">Most clips per Transformer batch; 1 transcribes one at a time.</param>
    /// <param name="progress">Told after each batch how many clips are done.</param>
    /// <returns>One transcription per clip, in the order given.</returns>
    /// <exception cref="ArgumentException">A clip is empty, shorter than the receptive field, or holds NaN/infinite samples.</exception>
    public IReadOnlyList<Transcription> TranscribeBatch(IReadOnlyList<float[]> clips, int batchSize = 8, IProgress<CountProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        foreach (var clip in clips)
            EnsureTranscribable(clip);
        var results = new Transcription[clips.Count];
        var batchable = new List<int>();
        int done = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            if (batchSize > 1 && ChunkPlanner.Plan(clips[i].Length, Model.Config, Chunking, FeatureExtractor.SamplingRate).Count == 1)
                batchable.Add(i);
            else
            {
                results[i] = Transcribe(clips[i]);
                progress?.Report(new CountProgress(++done, clips.Count));
            }
        }
        var byLength = batchable.OrderBy(i => clips[i].Length).ThenBy(i => i).ToList();
        for (int start = 0; start < byLength.Count; start += batchSize)
        {
            var batch = byLength.GetRange(start, Math.Min(batchSize, byLength.Count - start));
            var transcriptions = TranscribeTogether(batch.Select(i => clips[i]).ToList());
            for (int b = 0; b < batch.Count; b++)
                results[batch[b]] = transcriptions[b];
            done += batch.Count;
            progress?.Report(new CountProgress(done, clips.Count));
        }
        return results;
    }

    // One padded Transformer pass over clips that each fit one window.
    private List<Transcription> TranscribeTogether(IReadOnlyList<float[]> clips)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var device = TorchRuntime.DeviceOf(Model);
        var features = new List<Tensor>(clips.Count);
        foreach (var clip in clips)
        {
            var input = FeatureExtractor.DoNormalize ? WaveformNormalizer.ZeroMeanUnitVariance(clip) : clip;
            features.Add(Model.Wav2Vec2.FeatureExtractor.call(tensor(input).unsqueeze(0).to(device))[0].transpose(0, 1)); // (1, C, T) -> (T, C)
        }
        long longest = features.Max(f => f.shape[0]);
        var padded = stack(features.Select(f => nn.functional.pad(f, [0, 0, 0, longest - f.shape[0]])).ToList()); // (B, T, C)
        var frameMask = stack(features.Select(f => arange(longest, device: device) < f.shape[0]).ToList()); // (B, T)
        using var output = Model.ForwardFeatures(padded, frameMask, null, null, freezeBody: false);
        var logits = output.Logits.cpu().contiguous(); // (B, T, V)
        int vocab = (int)logits.shape[2];
        var transcriptions = new List<Transcription>(clips.Count);
        for (int b = 0; b < clips.Count; b++)
        {
            int frames = (int)features[b].shape[0];
            var values = logits[b].narrow(0, 0, frames).contiguous().data<float>().ToArray();
            var hypothesis = Decoder.Decode(values, frames)[0];
            transcriptions.Add(new Transcription(hypothesis.Text, values, frames, vocab, clips[b].Length / (double)FeatureExtractor.SamplingRate,
                hypothesis, SecondsPerFrame));
        }
        return transcriptions;
    }
}
