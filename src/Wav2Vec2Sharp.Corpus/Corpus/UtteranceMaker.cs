using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Makes the WAV file of one utterance in a split folder: reuses a finished file, copies an identical file of a larger
/// labelled set, or runs the engine, resamples to 16 kHz, augments and writes 16-bit mono PCM. A file appears under its
/// final name only when complete (written to a temporary name, then renamed), so a file with the final name is never
/// half-written; one that does not decode anyway is deleted and made again.
/// </summary>
internal sealed class UtteranceMaker
{
    /// <summary>The largest absolute sample value written; louder utterances are scaled down to it instead of clipped.</summary>
    private const float PeakLimit = 0.99f;

    private readonly IReadOnlyDictionary<TtsEngine, ISpeechEngine> _engines;

    public UtteranceMaker(IReadOnlyDictionary<TtsEngine, ISpeechEngine> engines) => _engines = engines;

    /// <summary>Makes <paramref name="utterance"/>'s file in <paramref name="folder"/>; engine and audio failures become a failed outcome.</summary>
    /// <param name="utterance">The utterance.</param>
    /// <param name="folder">The split folder.</param>
    /// <param name="copyFolder">The folder of a larger labelled set holding the same utterance under the same name, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the engine.</param>
    public async Task<UtteranceOutcome> MakeAsync(Utterance utterance, string folder, string? copyFolder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, utterance.FileName);
        if (File.Exists(path))
        {
            if (TryMeasure(path) is { } existing)
                return new UtteranceOutcome(utterance, OutcomeKind.Reused, path, existing, null);
            File.Delete(path);
        }
        if (copyFolder is not null)
        {
            var source = Path.Combine(copyFolder, utterance.FileName);
            if (File.Exists(source) && TryMeasure(source) is { } copied)
            {
                AtomicFile.Write(path, (string temp) => File.Copy(source, temp, overwrite: true));
                return new UtteranceOutcome(utterance, OutcomeKind.Copied, path, copied, null);
            }
        }

        var raw = Path.Combine(folder, $".{utterance.FileName}.{Guid.NewGuid():N}{EngineOutputSuffix}");
        try
        {
            await _engines[utterance.Speaker.Engine].SynthesizeAsync(utterance.Speaker, utterance.Text, raw, cancellationToken).ConfigureAwait(false);
            var samples = ToCorpusAudio(AudioFile.Read(raw), utterance.Augmentation);
            if (samples.Length == 0)
                throw new SpeechEngineException("the engine wrote no samples");
            AtomicFile.Write(path, (Stream stream) => Pcm16Wav.Write(stream, samples, AudioFile.DefaultSampleRate));
            return new UtteranceOutcome(utterance, OutcomeKind.Synthesized, path, samples.Length, null);
        }
        catch (Exception e) when (e is SpeechEngineException or AudioDecodeException)
        {
            return new UtteranceOutcome(utterance, OutcomeKind.Failed, path, 0, e.Message);
        }
        finally
        {
            TryDelete(raw);
        }
    }

    /// <summary>The suffix of an engine's raw output file, hidden (leading dot) beside the final file until it is converted.</summary>
    public const string EngineOutputSuffix = ".engine.wav";

    /// <summary>Mono 16 kHz, augmented, with the peak limited to <see cref="PeakLimit"/>.</summary>
    internal static float[] ToCorpusAudio(AudioClip clip, Augmentation? augmentation)
    {
        var samples = clip.SamplesAt(AudioFile.DefaultSampleRate);
        if (augmentation is not null)
            samples = augmentation.Apply(samples);
        LimitPeak(samples);
        return samples;
    }

    /// <summary>Scales <paramref name="samples"/> down, in place, when their peak exceeds <see cref="PeakLimit"/>.</summary>
    internal static void LimitPeak(float[] samples)
    {
        float peak = 0;
        foreach (float x in samples)
            peak = Math.Max(peak, Math.Abs(x));
        if (peak > PeakLimit)
        {
            float scale = PeakLimit / peak;
            for (int i = 0; i < samples.Length; i++)
                samples[i] *= scale;
        }
    }

    /// <summary>The length of a finished corpus file (16 kHz mono WAV), or <see langword="null"/> when it is not one.</summary>
    internal static int? TryMeasure(string path)
    {
        try
        {
            var clip = AudioFile.Read(path);
            return clip is { SampleRate: AudioFile.DefaultSampleRate, Channels: 1, Format: "wav" } && clip.Samples.Length > 0 ? clip.Samples.Length : null;
        }
        catch (AudioDecodeException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next run removes hidden leftovers.
        }
    }
}
