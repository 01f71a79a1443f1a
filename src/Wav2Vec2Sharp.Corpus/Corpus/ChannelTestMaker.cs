using System.ComponentModel;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Audio.Effects;
using Wav2Vec2Sharp.Data;
using Wav2Vec2Sharp.Randomness;

namespace Wav2Vec2Sharp.Corpus;

/// <summary>
/// Makes the channel-shift test sets (<see cref="ChannelTest"/>) from the finished <c>test_seen</c> split: each of its
/// utterances through the channel, into <c>test_seen_CHANNEL/</c> under the same index. A file's name holds a hash of
/// the source file's name (which already hashes the text, speaker and engine), the channel, the corpus seed and, for
/// mp3, the LAME version; an existing file of that name is reused. The random channels (reverb, noise) draw from a
/// generator seeded by the corpus seed, the channel and the source file's name, so the sets are the same on every run.
/// </summary>
internal sealed class ChannelTestMaker
{
    /// <summary>Changes whenever the way channel audio is made changes, so old files are not reused.</summary>
    public const string FormatVersion = "w2v2sharp-channel/1";

    /// <summary>The room of <see cref="ChannelTest.Reverb"/>.</summary>
    public const double ReverbRt60Seconds = 0.5, ReverbDirectToReverberantDb = 3;

    /// <summary>The SNR of <see cref="ChannelTest.Noise10"/> (pink noise).</summary>
    public const double NoiseSnrDb = 10;

    /// <summary>The LAME bit rate of <see cref="ChannelTest.Mp3"/>, in kbit/s.</summary>
    public const int Mp3BitRate = 16;

    /// <summary>The largest codec delay searched for when aligning the decoded MP3 with its source: 0.5 s.</summary>
    private const int MaxMp3Delay = AudioFile.DefaultSampleRate / 2;

    private const int Rate = AudioFile.DefaultSampleRate;

    private readonly CorpusOptions _options;
    private readonly Lame? _lame;
    private readonly IProgress<CorpusProgress>? _progress;

    /// <summary>A LAME encoder found on the machine.</summary>
    public sealed record Lame(string Executable, string Version);

    public ChannelTestMaker(CorpusOptions options, Lame? lame, IProgress<CorpusProgress>? progress)
    {
        _options = options;
        _lame = lame;
        _progress = progress;
    }

    /// <summary>The split name of <paramref name="channel"/>'s set: <c>test_seen_telephone</c>, <c>test_seen_mp3</c>, ….</summary>
    public static string SplitName(ChannelTest channel) => $"{CorpusOptions.TestSeenName}_{Name(channel)}";

    /// <summary>The channel's name in options and split names: <c>telephone</c>, <c>mp3</c>, <c>reverb</c>, <c>noise10</c>.</summary>
    public static string Name(ChannelTest channel) => channel.ToString().ToLowerInvariant();

    /// <summary>What the channel does, for <c>corpus.json</c>.</summary>
    public static string Describe(ChannelTest channel, Lame? lame) => channel switch
    {
        ChannelTest.Telephone => "300-3400 Hz band at 8 kHz (4th-order Butterworth), G.711 mu-law, back to 16 kHz",
        ChannelTest.Mp3 => $"LAME -b {Mp3BitRate} (CBR {Mp3BitRate} kbit/s), mono 16 kHz, decoded by NLayer, codec delay removed"
                           + (lame is null ? "" : $"; {lame.Version}"),
        ChannelTest.Reverb => FormattableString.Invariant(
            $"synthetic room impulse response, RT60 {ReverbRt60Seconds} s, direct-to-reverberant {ReverbDirectToReverberantDb} dB, level kept"),
        ChannelTest.Noise10 => FormattableString.Invariant($"pink noise at {NoiseSnrDb} dB SNR"),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>Finds LAME (<paramref name="program"/>: a name looked up on the PATH, or a path) and reads its version.</summary>
    /// <exception cref="CorpusException">LAME is not installed or does not run.</exception>
    public static Lame FindLame(string program)
    {
        var executable = Path.IsPathRooted(program) || program.Contains(Path.DirectorySeparatorChar)
            ? (File.Exists(program) ? program : null)
            : EngineProbe.FindExecutable(program);
        var output = executable is null ? null : ProcessRunner.TryReadOutput(executable, "--version");
        if (executable is null || output is null)
        {
            throw new CorpusException(
                $"The mp3 channel test needs the LAME MP3 encoder, but '{program}' is not installed (or does not run): "
                + "install it (apt-get install lame), or leave mp3 out of the channel tests.");
        }
        var version = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "LAME";
        return new Lame(executable, version);
    }

    /// <summary>Makes <paramref name="channel"/>'s set from <paramref name="source"/> (the finished <c>test_seen</c>) in <paramref name="folder"/>.</summary>
    /// <exception cref="CorpusException">LAME fails, or its output does not decode.</exception>
    public async Task<SplitOutcome> RunAsync(ChannelTest channel, SplitOutcome source, string folder, CancellationToken cancellationToken)
    {
        var name = SplitName(channel);
        Directory.CreateDirectory(folder);
        SplitSynthesizer.RemoveLeftovers(folder);
        var plan = source.Plan with { Name = name, Kind = CorpusSplitKind.ChannelTest, Augment = false, CopyFrom = null };
        var outcomes = new UtteranceOutcome[source.Accepted.Count];
        int made = 0, reused = 0;
        double seconds = 0;
        int batchSize = Math.Max(16, 4 * _options.Parallelism);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken };
        for (int start = 0; start < outcomes.Length; start += batchSize)
        {
            int count = Math.Min(batchSize, outcomes.Length - start);
            await Parallel.ForEachAsync(Enumerable.Range(start, count), parallel, async (i, token) =>
                outcomes[i] = await MakeAsync(channel, source.Accepted[i], folder, token).ConfigureAwait(false)).ConfigureAwait(false);
            for (int i = start; i < start + count; i++)
            {
                if (outcomes[i].Kind == OutcomeKind.Reused)
                    reused++;
                else
                    made++;
                seconds += outcomes[i].Samples / (double)Rate;
            }
            _progress?.Report(new CorpusProgress(name, start + count, seconds, source.Accepted.Sum(u => u.Samples) / (double)Rate, made, reused, 0));
        }
        SplitSynthesizer.RemoveStaleUtterances(folder, outcomes.Select(o => o.Utterance.FileName).ToHashSet(StringComparer.Ordinal));
        return new SplitOutcome(plan, outcomes, [], made, 0, reused, source.Complete);
    }

    private async Task<UtteranceOutcome> MakeAsync(ChannelTest channel, UtteranceOutcome source, string folder, CancellationToken cancellationToken)
    {
        var sourceName = Path.GetFileName(source.Path);
        var key = StableHash.Hex(
            $"{FormatVersion}\n{Name(channel)}\n{Describe(channel, _lame)}\nseed={_options.Seed}\n{sourceName}", 10);
        var utterance = source.Utterance with { FileName = $"{source.Utterance.Index:D6}-{key}.wav" };
        var path = Path.Combine(folder, utterance.FileName);
        if (File.Exists(path))
        {
            if (UtteranceMaker.TryMeasure(path) is { } existing)
                return new UtteranceOutcome(utterance, OutcomeKind.Reused, path, existing, null);
            File.Delete(path);
        }

        float[] samples = AudioFile.Read(source.Path).Samples;
        float[] output = channel switch
        {
            ChannelTest.Telephone => ChannelEffects.Telephone(samples, Rate, muLaw: true),
            ChannelTest.Reverb => ChannelEffects.Reverberate(samples, Rate, ReverbRt60Seconds, ReverbDirectToReverberantDb, RandomFor(channel, sourceName)),
            ChannelTest.Noise10 => ChannelEffects.AddNoise(samples, NoiseColor.Pink, NoiseSnrDb, RandomFor(channel, sourceName)),
            ChannelTest.Mp3 => await Mp3RoundTripAsync(source.Path, samples, folder, utterance.FileName, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
        };
        UtteranceMaker.LimitPeak(output);
        AtomicFile.Write(path, (Stream stream) => Pcm16Wav.Write(stream, output, Rate));
        return new UtteranceOutcome(utterance, OutcomeKind.Synthesized, path, output.Length, null);
    }

    /// <summary>The generator of one utterance's channel: seeded by the corpus seed, the channel and the source file's name.</summary>
    private Random RandomFor(ChannelTest channel, string sourceName)
    {
        ulong bits = SplitMix64.FromKeys(_options.Seed, 0xC4A7, StableHash.Of(Name(channel)), StableHash.Of(sourceName)).NextUInt64();
        return new Random(unchecked((int)(bits ^ (bits >> 32))));
    }

    /// <summary>Encodes the source WAV with LAME, decodes the MP3 with <see cref="AudioFile"/>, and removes the codec delay.</summary>
    private async Task<float[]> Mp3RoundTripAsync(string sourcePath, float[] samples, string folder, string fileName, CancellationToken cancellationToken)
    {
        var lame = _lame ?? throw new InvalidOperationException("LAME was not looked up.");
        var mp3 = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.mp3.tmp");
        try
        {
            ProcessResult result;
            try
            {
                string[] arguments = ["--quiet", "--noreplaygain", "-m", "m", "-b", $"{Mp3BitRate}", "--resample", "16", sourcePath, mp3];
                result = await ProcessRunner.RunAsync(lame.Executable, arguments, null, _options.EngineTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or Win32Exception)
            {
                throw new CorpusException($"LAME failed on {sourcePath}: {e.Message}", e);
            }
            if (result.ExitCode != 0 || !File.Exists(mp3))
                throw new CorpusException($"LAME failed on {sourcePath} (exit code {result.ExitCode}): {result.StandardError.Trim()}");
            float[] decoded;
            try
            {
                decoded = AudioFile.Load(mp3, Rate);
            }
            catch (AudioDecodeException e)
            {
                throw new CorpusException($"The MP3 that LAME made of {sourcePath} does not decode: {e.Message}", e);
            }
            int delay = CodecDelay(samples, decoded);
            var output = new float[samples.Length];
            Array.Copy(decoded, delay, output, 0, Math.Max(0, Math.Min(output.Length, decoded.Length - delay)));
            return output;
        }
        finally
        {
            try
            {
                File.Delete(mp3);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind; the next run removes hidden leftovers.
            }
        }
    }

    /// <summary>
    /// The lag (0 to 0.5 s) at which <paramref name="decoded"/> best matches <paramref name="source"/> (the encoder's
    /// and decoder's delay, plus any silent info frame), by cross-correlation computed with an FFT.
    /// </summary>
    internal static int CodecDelay(float[] source, float[] decoded)
    {
        if (source.Length == 0 || decoded.Length == 0)
            return 0;
        var reversed = new float[source.Length];
        for (int i = 0; i < source.Length; i++)
            reversed[i] = source[source.Length - 1 - i];
        int maxLag = Math.Min(MaxMp3Delay, decoded.Length - 1);
        double[] correlation = Fft.Convolve(decoded, reversed, source.Length + maxLag);
        int best = 0;
        for (int lag = 1; lag <= maxLag; lag++)
        {
            if (correlation[source.Length - 1 + lag] > correlation[source.Length - 1 + best])
                best = lag;
        }
        return best;
    }
}
