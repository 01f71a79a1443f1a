using System.Diagnostics;
using System.Text.Json;
using Wav2Vec2Sharp.Audio;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// <c>--mode audio-load FILE</c>: decodes one audio file to 16 kHz mono as <c>w2v transcribe</c> does for anything but a
/// 16 kHz WAV (<see cref="AudioFile.Load"/>), and prints the time, the managed bytes allocated, the process's peak RSS
/// and a hash of the samples (to compare two builds). Run it once per file, each in a fresh process, e.g. on a 10-minute
/// 44.1 kHz stereo MP3: <c>sox -n -r 44100 -c 2 -b 16 long.wav synth 600 sine 440 sine 660 vol 0.3 &amp;&amp; lame -b 128 long.wav long.mp3</c>.
/// </summary>
internal static class AudioLoadBench
{
    public static int Run(string[] files)
    {
        if (files.Length != 1)
        {
            Console.Error.WriteLine("usage: --mode audio-load FILE");
            return 2;
        }
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        long rssBefore = LongAudio.Status("VmHWM");
        var clock = Stopwatch.StartNew();
        var samples = AudioFile.Load(files[0], 16000);
        double wall = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        long rssPeak = LongAudio.Status("VmHWM");
        var clip = AudioFile.Read(files[0]); // the format's facts, read after the measurement
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp",
            ["mode"] = "audio-load",
            ["file"] = Path.GetFileName(files[0]),
            ["format"] = clip.Format,
            ["source_rate"] = clip.SampleRate,
            ["channels"] = clip.Channels,
            ["audio_seconds"] = Math.Round(samples.Length / 16000.0, 3),
            ["wall_s"] = Math.Round(wall, 2),
            ["allocated_mb"] = Math.Round(allocated / 1048576.0, 1),
            ["peak_rss_mb_before"] = rssBefore / 1024,
            ["peak_rss_mb"] = rssPeak / 1024,
            ["samples_sha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan())))[..16],
        }));
        return 0;
    }
}
