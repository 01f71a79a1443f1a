using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wav2Vec2Sharp.Bench;

/// <summary>
/// <c>w2v serve</c> under load (mode serve-load): starts the built server (--server, the w2v executable) on 127.0.0.1
/// with --model and --batch-size, asks it once for every WAV in --audio (verbose_json: the expected transcript and the
/// duration of each file), then --clients HttpClients post the files round-robin for --seconds, each answer checked
/// against its file's expected transcript. One JSON line: requests, errors (a wrong status or transcript; must be 0),
/// throughput in audio-seconds per second, latency p50/p95/p99, the mean batch the server ran (from /metrics) and the
/// server's peak RSS (VmHWM). The server is stopped with SIGTERM and its exit code and stop time reported.
/// With <c>--soak</c>: about --bad-fraction of the requests (default 0.2) are bad (empty file, truncated WAV, garbage
/// bytes, missing file field, unknown response_format), each of which must get its 400 and message; every good
/// answer must be its file's transcript; the server's RSS is sampled every --rss-every seconds, and the line reports
/// it after the --warmup-seconds (first), at the end (last), its maximum, growth and slope.
/// </summary>
internal static class ServeLoadBench
{
    private const string Endpoint = "/v1/audio/transcriptions";

    private sealed record Clip(string Name, byte[] Bytes);

    private sealed record Expected(string Text, double Duration);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public static int Run(string[] args)
    {
        var values = new Dictionary<string, string>();
        bool soak = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--soak")
                soak = true;
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                values[args[i][2..]] = args[++i];
            else
                throw new ArgumentException($"expected --name value pairs (and --soak), got {args[i]}");
        }
        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"serve-load needs --{name}");
        double Number(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var server = Need("server");
        var model = Need("model");
        var audio = Need("audio");
        int clients = (int)Number("clients", 4);
        int batchSize = (int)Number("batch-size", 4);
        double seconds = Number("seconds", soak ? 180 : 60);
        int threads = (int)Number("threads", 0);
        return RunAsync(server, model, audio, clients, batchSize, seconds, threads, soak, Number("bad-fraction", 0.2), Number("rss-every", 5),
            Number("warmup-seconds", 30)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string serverPath, string model, string audio, int clients, int batchSize, double seconds, int threads, bool soak,
        double badFraction, double rssEvery, double warmupSeconds)
    {
        var files = Directory.GetFiles(audio, "*.wav").Order(StringComparer.Ordinal).Select(p => new Clip(Path.GetFileName(p), File.ReadAllBytes(p))).ToList();
        if (files.Count == 0)
            throw new ArgumentException($"no .wav files in {audio}");
        int port = FreePort();
        var start = new ProcessStartInfo(serverPath)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--model", model, "--urls", $"http://127.0.0.1:{port}", "--batch-size", batchSize.ToString(CultureInfo.InvariantCulture),
                     "--threads", threads.ToString(CultureInfo.InvariantCulture), "--max-queue", "256" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
                stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (ready is null || !ready.StartsWith("serving ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the server did not start: {ready}\n{stderr}");
        }
        _ = process.StandardOutput.ReadToEndAsync();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5),
        };
        var expected = new List<Expected>();
        foreach (var file in files) // one at a time: the transcripts every later answer must equal (and a warm-up)
        {
            using var response = await http.PostAsync(Endpoint, Form(file.Name, file.Bytes, "verbose_json"));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{file.Name}: {(int)response.StatusCode} {body.ToJsonString()}");
            expected.Add(new Expected(body["text"]!.GetValue<string>(), body["duration"]!.GetValue<double>()));
        }
        var metricsBefore = await Metrics(http);

        int pid = process.Id;
        var rss = new List<(double Seconds, double Mb)>();
        var clock = Stopwatch.StartNew();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                lock (rss)
                    rss.Add((clock.Elapsed.TotalSeconds, Status(pid, "VmRSS") / 1024.0));
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(rssEvery), stopSampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        long next = -1;
        var latencies = new List<double>();
        var problems = new List<string>();
        var badCounts = new Dictionary<string, int>();
        long good = 0, bad = 0, errors = 0;
        double audioSeconds = 0;
        int badEvery = badFraction > 0 ? (int)Math.Round(1 / badFraction) : int.MaxValue;
        string[] badKinds = ["empty", "truncated", "garbage", "missing_field", "bad_format"];
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        "GARBAGE"u8.CopyTo(garbage); // no audio format's magic
        async Task Client()
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                long n = Interlocked.Increment(ref next);
                int index = (int)(n % files.Count);
                var file = files[index];
                string? problem;
                var sent = Stopwatch.StartNew();
                if (soak && n % badEvery == badEvery - 1)
                {
                    var kind = badKinds[(n / badEvery) % badKinds.Length];
                    var (content, message) = kind switch
                    {
                        "empty" => (Form("empty.wav", [], "json"), "empty.wav: the file is empty."),
                        "truncated" => (Form("truncated.wav", file.Bytes[..24], "json"), null),
                        "garbage" => (Form("garbage.wav", garbage, "json"), "garbage.wav: unrecognised audio format (starts with bytes 47415242; expected WAV, FLAC, MP3, Ogg Vorbis, Ogg Opus or WebM Opus)."),
                        "missing_field" => (new MultipartFormDataContent { { new StringContent("json"), "response_format" } },
                            "the 'file' field is missing: send the audio as multipart/form-data field 'file'."),
                        _ => (Form(file.Name, file.Bytes, "mp3"), "response_format 'mp3' is not one of json, text, srt, vtt, verbose_json."),
                    };
                    problem = await Check(http, content, null, message, kind == "truncated" ? "truncated.wav: " : null);
                    lock (badCounts)
                        badCounts[kind] = badCounts.GetValueOrDefault(kind) + 1;
                    Interlocked.Increment(ref bad);
                }
                else
                {
                    problem = await Check(http, Form(file.Name, file.Bytes, "json"), expected[index].Text, null, null);
                    double latency = sent.Elapsed.TotalSeconds;
                    Interlocked.Increment(ref good);
                    lock (latencies)
                    {
                        latencies.Add(latency);
                        if (problem is null)
                            audioSeconds += expected[index].Duration;
                    }
                }
                if (problem is not null)
                {
                    Interlocked.Increment(ref errors);
                    lock (problems)
                    {
                        if (problems.Count < 10)
                            problems.Add($"{file.Name}: {problem}");
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        double wall = clock.Elapsed.TotalSeconds;
        await stopSampling.CancelAsync();
        await sampler;
        var metricsAfter = await Metrics(http);
        long peak = Status(pid, "VmHWM");

        var stopClock = Stopwatch.StartNew();
        kill(pid, 15); // SIGTERM, as a service manager stops it
        bool exited = process.WaitForExit(TimeSpan.FromSeconds(60));
        if (!exited)
            process.Kill();
        double stopSeconds = stopClock.Elapsed.TotalSeconds;

        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];
        double batches = metricsAfter.GetValueOrDefault("w2v_batch_size_count") - metricsBefore.GetValueOrDefault("w2v_batch_size_count");
        double batchedClips = metricsAfter.GetValueOrDefault("w2v_batch_size_sum") - metricsBefore.GetValueOrDefault("w2v_batch_size_sum");
        var line = new Dictionary<string, object?>
        {
            ["impl"] = "Wav2Vec2Sharp", ["mode"] = soak ? "serve-soak" : "serve-load", ["model"] = model, ["audio"] = audio, ["files"] = files.Count,
            ["file_audio_seconds"] = Math.Round(expected.Sum(e => e.Duration), 3), ["clients"] = clients, ["batch_size"] = batchSize, ["threads"] = threads,
            ["seconds"] = Math.Round(wall, 2), ["requests"] = good + bad, ["good_requests"] = good, ["errors"] = errors,
            ["audio_seconds"] = Math.Round(audioSeconds, 3), ["audio_s_per_s"] = Math.Round(audioSeconds / wall, 3),
            ["requests_per_s"] = Math.Round(good / wall, 3),
            ["latency_p50_ms"] = Math.Round(Percentile(50) * 1000, 1), ["latency_p95_ms"] = Math.Round(Percentile(95) * 1000, 1),
            ["latency_p99_ms"] = Math.Round(Percentile(99) * 1000, 1), ["latency_max_ms"] = Math.Round(Percentile(100) * 1000, 1),
            ["mean_batch"] = batches > 0 ? Math.Round(batchedClips / batches, 3) : null, ["batches"] = batches,
            ["server_peak_rss_mb"] = Math.Round(peak / 1024.0, 1),
            ["sigterm_exit_code"] = exited ? process.ExitCode : null, ["sigterm_stop_s"] = Math.Round(stopSeconds, 2),
        };
        if (soak)
        {
            var after = rss.Where(s => s.Seconds >= warmupSeconds).ToList();
            if (after.Count < 2)
                after = rss;
            double first = after[0].Mb, last = after[^1].Mb;
            line["bad_requests"] = bad;
            line["bad_by_kind"] = badCounts.OrderBy(k => k.Key, StringComparer.Ordinal).ToDictionary(k => k.Key, k => k.Value);
            line["rss_every_s"] = rssEvery;
            line["rss_warmup_s"] = warmupSeconds;
            line["rss_first_mb"] = Math.Round(first, 1);
            line["rss_last_mb"] = Math.Round(last, 1);
            line["rss_max_mb"] = Math.Round(after.Max(s => s.Mb), 1);
            line["rss_min_mb"] = Math.Round(after.Min(s => s.Mb), 1);
            line["rss_growth_pct"] = Math.Round((last - first) / first * 100, 2);
            line["rss_slope_mb_per_min"] = Math.Round(Slope(after) * 60, 3);
            line["rss_samples_mb"] = rss.Select(s => Math.Round(s.Mb, 1)).ToArray();
            line["flat"] = (last - first) / first < 0.10;
        }
        line["problems"] = problems;
        line["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        line["loadavg"] = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.WriteLine(JsonSerializer.Serialize(line));
        return errors == 0 && exited && process.ExitCode == 0 ? 0 : 1;
    }

    private static MultipartFormDataContent Form(string name, byte[] bytes, string format) => new()
    {
        { new ByteArrayContent(bytes), "file", name },
        { new StringContent(format), "response_format" },
    };

    // null when the answer is right: the expected transcript (good) or 400 with the expected message (bad).
    private static async Task<string?> Check(HttpClient http, HttpContent content, string? text, string? message, string? messagePrefix)
    {
        try
        {
            using var response = await http.PostAsync(Endpoint, content);
            var body = await response.Content.ReadAsStringAsync();
            if (text is not null)
            {
                if (response.StatusCode != HttpStatusCode.OK)
                    return $"{(int)response.StatusCode} {body}";
                var got = JsonNode.Parse(body)!["text"]!.GetValue<string>();
                return got == text ? null : $"transcript '{got}', expected '{text}'";
            }
            var error = JsonNode.Parse(body)?["error"];
            var said = error?["message"]?.GetValue<string>() ?? "";
            if (response.StatusCode != HttpStatusCode.BadRequest || error?["type"]?.GetValue<string>() != "invalid_request_error")
                return $"{(int)response.StatusCode} {body}, expected 400";
            if (message is not null && said != message)
                return $"message '{said}', expected '{message}'";
            if (messagePrefix is not null && !said.StartsWith(messagePrefix, StringComparison.Ordinal))
                return $"message '{said}', expected it to start with '{messagePrefix}'";
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static async Task<Dictionary<string, double>> Metrics(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        var values = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            int space = line.LastIndexOf(' ');
            values[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return values;
    }

    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Least-squares slope of MB over seconds.
    private static double Slope(List<(double Seconds, double Mb)> samples)
    {
        double mx = samples.Average(s => s.Seconds), my = samples.Average(s => s.Mb);
        double num = samples.Sum(s => (s.Seconds - mx) * (s.Mb - my)), den = samples.Sum(s => (s.Seconds - mx) * (s.Seconds - mx));
        return den == 0 ? 0 : num / den;
    }
}
