using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Output;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>
/// The HTTP face of <c>w2v serve</c> on ASP.NET Core minimal APIs: <c>POST /v1/audio/transcriptions</c> (OpenAI's
/// transcription API: multipart <c>file</c>, <c>response_format</c> json | text | srt | vtt | verbose_json),
/// <c>GET /v1/models</c>, <c>GET /health</c>, <c>GET /metrics</c> (Prometheus), live transcription over a WebSocket at
/// <c>/v1/stream</c> (<see cref="StreamingSession"/>) and the page at <c>/</c>. Requests decode their upload, then queue it for
/// the one model thread (<see cref="ModelWorker"/>), which transcribes the requests waiting together, up to
/// <see cref="ServerSettings.BatchSize"/>; at most <see cref="ServerSettings.MaxQueue"/> wait. Every error is
/// <c>{"error": {"message", "type"}}</c> with its status code.
/// </summary>
internal static class TranscriptionServer
{
    private static readonly string[] Formats = ["json", "text", "srt", "vtt", "verbose_json"];

    /// <summary>
    /// Builds the server; <paramref name="configure"/> may replace the transport (tests use the in-memory TestServer). Its
    /// <see cref="ModelWorker"/> is a service of the app: it stops when the app has stopped (after the requests in flight)
    /// or is disposed.
    /// </summary>
    public static WebApplication Build(ServerSettings settings, string urls, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries only w2v's own lines
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // a failed start is w2v's one error line, not a logged stack trace
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxUploadBytes);
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = settings.MaxUploadBytes);
        builder.Services.AddSingleton(_ => new ModelWorker(settings.Transcriber, settings.BatchSize, settings.Metrics)); // disposed with the app
        configure?.Invoke(builder);
        var app = builder.Build();
        var metrics = settings.Metrics;
        var model = app.Services.GetRequiredService<ModelWorker>();
        app.Lifetime.ApplicationStopped.Register(model.Stop); // the server has let the requests in flight finish: drain, then stop

        app.MapGet("/", () => Results.Text(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/health", () => Results.Json(new JsonObject { ["status"] = "ok" }));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/v1/models", (HttpContext http) => Authorized(http, settings) ?? Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = settings.ModelName, ["object"] = "model", ["owned_by"] = "w2v",
                ["engine"] = Commands.ModelEngines.NameOf(settings.Transcriber.AcousticModel),
                ["vocab_size"] = settings.Transcriber.Vocabulary.Count,
                ["decoder"] = settings.Transcriber.Decoder is Decoding.GreedyCtcDecoder ? "greedy" : "beam search",
            }),
        }));
        app.MapPost("/v1/audio/transcriptions", (Func<HttpContext, Task<IResult>>)(http => Transcribe(http, settings, metrics, model)));
        app.UseWebSockets();
        app.Map("/v1/stream", async (HttpContext http) =>
        {
            // browsers cannot set headers on a WebSocket: the key may come as ?api_key= too
            if (settings.ApiKey is not null && http.Request.Query["api_key"] != settings.ApiKey && Authorized(http, settings) is { } denied)
            {
                metrics.Failed("unauthorized");
                await denied.ExecuteAsync(http);
                return;
            }
            if (!http.WebSockets.IsWebSocketRequest)
            {
                metrics.Failed("bad_request");
                await Error(400, "invalid_request_error", "/v1/stream takes a WebSocket connection.").ExecuteAsync(http);
                return;
            }
            await StreamingSession.Run(http, settings, metrics, model);
        });
        return app;
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(TranscriptionServer).Assembly.GetManifestResourceStream("Wav2Vec2Sharp.Cli.Serve.index.html")!;
        return new StreamReader(stream).ReadToEnd();
    });

    private static IResult? Authorized(HttpContext http, ServerSettings settings) =>
        settings.ApiKey is null || http.Request.Headers.Authorization.ToString() == $"Bearer {settings.ApiKey}"
            ? null
            : Error(401, "authentication_error", "missing or wrong API key: send the header Authorization: Bearer <key>.");

    private static string Size(long bytes) =>
        bytes >= 1_000_000 ? $"{bytes / 1e6:0.#} MB" : $"{bytes / 1e3:0.#} kB";

    private static IResult Error(int status, string type, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type } }, statusCode: status);

    private static async Task<IResult> Transcribe(HttpContext http, ServerSettings settings, ServerMetrics metrics, ModelWorker model)
    {
        var clock = Stopwatch.StartNew();
        IResult Fail(int status, string kind, string type, string message)
        {
            metrics.Failed(kind);
            return Error(status, type, message);
        }

        if (Authorized(http, settings) is { } denied)
        {
            metrics.Failed("unauthorized");
            return denied;
        }
        long limit = settings.MaxUploadBytes;
        if (http.Request.ContentLength is { } length && length > limit)
            return Fail(413, "too_large", "invalid_request_error", $"the upload is {Size(length)}; this server takes at most {Size(limit)} (--max-upload-mb).");
        if (!http.Request.HasFormContentType)
            return Fail(400, "bad_request", "invalid_request_error", "send the audio as multipart/form-data with a 'file' field.");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(413, "too_large", "invalid_request_error", $"the upload is larger than this server takes ({Size(limit)}, --max-upload-mb).");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Fail(400, "bad_request", "invalid_request_error", $"the multipart body cannot be read ({e.Message.TrimEnd('.')}).");
        }
        var file = form.Files.GetFile("file");
        if (file is null)
            return Fail(400, "bad_request", "invalid_request_error", "the 'file' field is missing: send the audio as multipart/form-data field 'file'.");
        string format = form["response_format"].FirstOrDefault() is { Length: > 0 } requested ? requested : "json";
        if (!Formats.Contains(format))
            return Fail(400, "bad_request", "invalid_request_error", $"response_format '{format}' is not one of {string.Join(", ", Formats)}.");
        if (file.Length == 0)
            return Fail(400, "bad_audio", "invalid_request_error", $"{file.FileName}: the file is empty.");

        if (Interlocked.Increment(ref metrics.QueueDepth) > settings.MaxQueue + 1)
        {
            Interlocked.Decrement(ref metrics.QueueDepth);
            http.Response.Headers.RetryAfter = "1";
            return Fail(503, "busy", "server_error", $"the server is busy: {settings.MaxQueue} requests are already waiting (--max-queue); retry later.");
        }
        var temp = Path.Combine(Path.GetTempPath(), $"w2v-serve-{Guid.NewGuid():N}.upload");
        try
        {
            await using (var target = File.Create(temp))
                await file.CopyToAsync(target, http.RequestAborted);
            var transcriber = settings.Transcriber;
            float[] samples;
            try
            {
                samples = AudioFile.Load(temp, transcriber.FeatureExtractor.SamplingRate);
                transcriber.EnsureTranscribable(samples);
            }
            catch (AudioDecodeException e)
            {
                return Fail(400, "bad_audio", "invalid_request_error", $"{file.FileName}: {e.Problem.TrimEnd('.')}.");
            }
            catch (UntranscribableAudioException e)
            {
                return Fail(400, "bad_audio", "invalid_request_error", $"{file.FileName}: {e.Message.TrimEnd('.')}.");
            }
            finally
            {
                File.Delete(temp);
            }
            var result = await model.Transcribe(samples, http.RequestAborted);
            var timed = TimestampBuilder.Build(result.Hypothesis, transcriber.Vocabulary, result.Logits, result.Frames, result.SecondsPerFrame);
            metrics.Answered(clock.Elapsed.TotalSeconds, result.AudioSeconds);
            return format switch
            {
                "text" => Results.Text(result.Text + "\n", "text/plain; charset=utf-8"),
                "srt" => Results.Text(SubtitleWriter.ToSrt(SubtitleBuilder.Build(timed.Words, new SubtitleOptions())), "application/x-subrip; charset=utf-8"),
                "vtt" => Results.Text(SubtitleWriter.ToVtt(SubtitleBuilder.Build(timed.Words, new SubtitleOptions())), "text/vtt; charset=utf-8"),
                "verbose_json" => Results.Json(Verbose(result, timed)),
                _ => Results.Json(new JsonObject { ["text"] = result.Text }),
            };
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            metrics.Failed("client_gone");
            return Results.Empty; // the client disconnected: nobody reads the answer (a queued job is dropped unrun)
        }
        catch (ServerStoppingException)
        {
            http.Response.Headers.RetryAfter = "1";
            return Fail(503, "stopping", "server_error", "the server is shutting down; retry later.");
        }
        finally
        {
            Interlocked.Decrement(ref metrics.QueueDepth);
            File.Delete(temp);
        }
    }

    // OpenAI's verbose_json with word timestamps, plus each word's confidence.
    private static JsonObject Verbose(Inference.Transcription result, TimedTranscript timed) => new()
    {
        ["task"] = "transcribe",
        ["duration"] = Math.Round(result.AudioSeconds, 3),
        ["text"] = result.Text,
        ["words"] = new JsonArray(timed.Words.Select(w => (JsonNode)new JsonObject
        {
            ["word"] = w.Text, ["start"] = Math.Round(w.Start, 3), ["end"] = Math.Round(w.End, 3), ["confidence"] = Math.Round(w.Confidence, 4),
        }).ToArray()),
    };
}
