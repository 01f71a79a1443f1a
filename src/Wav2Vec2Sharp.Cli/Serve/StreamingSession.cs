using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wav2Vec2Sharp.Timestamps;

namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>
/// Live transcription over a WebSocket (<c>/v1/stream</c>): the client sends binary messages of 16 kHz mono 16-bit
/// little-endian PCM; after every second of new audio the server answers <c>{"type": "partial", "text", "seconds"}</c>
/// with the transcript of everything so far, and when the client sends <c>{"type": "end"}</c> (or closes) it answers
/// <c>{"type": "final", "text", "words", "duration"}</c>, the offline transcript of the same audio (same windows and
/// context), then closes. A malformed message gets <c>{"type": "error", "error": {"message", "type"}}</c> and the
/// connection is closed as a policy violation.
/// </summary>
internal static class StreamingSession
{
    private const int SampleRate = 16000;

    public static async Task Run(HttpContext http, ServerSettings settings, ServerMetrics metrics, ModelWorker model)
    {
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var samples = new List<float>();
        int sinceUpdate = 0;
        long maxSamples = settings.MaxUploadBytes / 2;
        var buffer = new byte[64 * 1024];
        var cancel = http.RequestAborted;
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer, cancel);
                    message.Write(buffer, 0, received.Count);
                    if (message.Length > 1_000_000)
                    {
                        await Fail(socket, metrics, "a message is larger than 1 MB: send audio in smaller chunks.");
                        return;
                    }
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await Final(socket, settings, metrics, model, samples, cancel);
                    return;
                }
                if (received.MessageType == WebSocketMessageType.Text)
                {
                    if (!IsEnd(message.ToArray()))
                    {
                        await Fail(socket, metrics, "a text message must be {\"type\": \"end\"}; audio goes in binary messages of 16 kHz 16-bit PCM.");
                        return;
                    }
                    await Final(socket, settings, metrics, model, samples, cancel);
                    return;
                }
                if (message.Length % 2 != 0)
                {
                    await Fail(socket, metrics, $"a binary message of {message.Length} bytes is not whole 16-bit samples.");
                    return;
                }
                var bytes = message.GetBuffer().AsSpan(0, (int)message.Length);
                for (int i = 0; i < bytes.Length; i += 2)
                    samples.Add(BinaryPrimitives.ReadInt16LittleEndian(bytes[i..]) / 32768f);
                if (samples.Count > maxSamples)
                {
                    await Fail(socket, metrics, $"the stream is longer than this server takes ({maxSamples / (double)SampleRate:0} s of audio, --max-upload-mb).");
                    return;
                }
                sinceUpdate += bytes.Length / 2;
                if (sinceUpdate >= SampleRate && samples.Count >= settings.Transcriber.Config.ReceptiveField)
                {
                    sinceUpdate = 0;
                    var text = await Transcribe(model, samples, cancel);
                    await Send(socket, new JsonObject { ["type"] = "partial", ["text"] = text.Result.Text, ["seconds"] = Math.Round(samples.Count / (double)SampleRate, 3) }, cancel);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            metrics.Failed("client_gone");
        }
        catch (ServerStoppingException)
        {
            metrics.Failed("stopping");
            try
            {
                await Send(socket, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["message"] = "the server is shutting down.", ["type"] = "server_error" } },
                    CancellationToken.None);
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "shutting down", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // the client has gone too
            }
        }
    }

    private static bool IsEnd(byte[] text)
    {
        try
        {
            return JsonNode.Parse(text)?["type"]?.GetValue<string>() == "end";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static async Task<(Inference.Transcription Result, TimedTranscript Timed)> Transcribe(ModelWorker model, List<float> samples, CancellationToken cancel)
    {
        var clip = samples.ToArray();
        return await model.Run(transcriber =>
        {
            var result = transcriber.Transcribe(clip);
            return (result, TimestampBuilder.Build(result.Hypothesis, transcriber.Vocabulary, result.Logits, result.Frames, result.SecondsPerFrame));
        }, cancel);
    }

    private static async Task Final(WebSocket socket, ServerSettings settings, ServerMetrics metrics, ModelWorker model, List<float> samples, CancellationToken cancel)
    {
        if (samples.Count < settings.Transcriber.Config.ReceptiveField)
        {
            await Fail(socket, metrics, $"the stream has {samples.Count} samples ({samples.Count / (double)SampleRate:0.###} s), fewer than the {settings.Transcriber.Config.ReceptiveField} samples one output frame needs.");
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (result, timed) = await Transcribe(model, samples, cancel);
        metrics.Answered(clock.Elapsed.TotalSeconds, result.AudioSeconds);
        await Send(socket, new JsonObject
        {
            ["type"] = "final", ["text"] = result.Text, ["duration"] = Math.Round(result.AudioSeconds, 3),
            ["words"] = new JsonArray(timed.Words.Select(w => (JsonNode)new JsonObject
            {
                ["word"] = w.Text, ["start"] = Math.Round(w.Start, 3), ["end"] = Math.Round(w.End, 3), ["confidence"] = Math.Round(w.Confidence, 4),
            }).ToArray()),
        }, cancel);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel);
    }

    private static async Task Fail(WebSocket socket, ServerMetrics metrics, string message)
    {
        metrics.Failed("bad_stream");
        await Send(socket, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } }, CancellationToken.None);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "bad message", CancellationToken.None);
    }

    private static Task Send(WebSocket socket, JsonObject message, CancellationToken cancel) =>
        socket.State is WebSocketState.Open or WebSocketState.CloseReceived
            ? socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancel)
            : Task.CompletedTask;
}
