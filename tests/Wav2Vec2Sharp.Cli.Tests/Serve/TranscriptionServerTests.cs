using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Wav2Vec2Sharp.Cli.Serve;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Serve;

/// <summary>The <c>w2v serve</c> API in process (ASP.NET Core's TestServer): every endpoint, every error, exact statuses and messages.</summary>
public sealed class TranscriptionServerTests : IAsyncLifetime, IDisposable
{
    private readonly CliModelFixture _fixture = new();
    private Transcriber? _transcriber;
    private WebApplication? _app;

    public void Dispose()
    {
        _transcriber?.Dispose();
        _fixture.Dispose();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    private async Task<HttpClient> Start(string? apiKey = null, long maxUploadBytes = 1_000_000, int maxQueue = 4, ServerMetrics? metrics = null)
    {
        _transcriber = Transcriber.Load(_fixture.Model);
        var settings = new ServerSettings(_transcriber, "tiny", apiKey, maxUploadBytes, maxQueue) { Metrics = metrics ?? new ServerMetrics() };
        _app = TranscriptionServer.Build(settings, "http://127.0.0.1:0", builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        return _app.GetTestClient();
    }

    private static MultipartFormDataContent Upload(byte[] audio, string name = "clip.wav", string? format = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(audio), "file", name } };
        if (format is not null)
            form.Add(new StringContent(format), "response_format");
        return form;
    }

    private byte[] Clip() => File.ReadAllBytes(_fixture.Wav("clip.wav"));

    private static async Task<(HttpStatusCode Status, string Message, string Type)> ErrorOf(HttpResponseMessage response)
    {
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        return (response.StatusCode, error["message"]!.GetValue<string>(), error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_models_and_the_page_answer()
    {
        var client = await Start();

        Assert.Equal("{\"status\":\"ok\"}", await client.GetStringAsync("/health"));
        var model = JsonNode.Parse(await client.GetStringAsync("/v1/models"))!["data"]![0]!;
        Assert.Equal("tiny", model["id"]!.GetValue<string>());
        Assert.Equal(_transcriber!.Vocabulary.Count, model["vocab_size"]!.GetValue<int>());
        Assert.Equal("greedy", model["decoder"]!.GetValue<string>());
        Assert.Equal("torch", model["engine"]!.GetValue<string>());
        var page = await client.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/v1/audio/transcriptions", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_format_carries_the_transcript_the_cli_prints()
    {
        var client = await Start();
        var path = _fixture.Wav("clip.wav");
        var (code, cliText, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, path);
        Assert.Equal(0, code);
        string expected = cliText.TrimEnd('\n', '\r');

        var json = JsonNode.Parse(await (await client.PostAsync("/v1/audio/transcriptions", Upload(Clip()))).Content.ReadAsStringAsync())!;
        var text = await (await client.PostAsync("/v1/audio/transcriptions", Upload(Clip(), format: "text"))).Content.ReadAsStringAsync();
        var verbose = JsonNode.Parse(await (await client.PostAsync("/v1/audio/transcriptions", Upload(Clip(), format: "verbose_json"))).Content.ReadAsStringAsync())!;
        var srt = await (await client.PostAsync("/v1/audio/transcriptions", Upload(Clip(), format: "srt"))).Content.ReadAsStringAsync();
        var (_, cliSrt, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, "--format", "srt", path);

        Assert.Equal(expected, json["text"]!.GetValue<string>());
        Assert.Equal(expected + "\n", text);
        Assert.Equal(expected, verbose["text"]!.GetValue<string>());
        Assert.Equal(expected.Replace(" ", ""), string.Concat(verbose["words"]!.AsArray().Select(w => w!["word"]!.GetValue<string>())));
        Assert.All(verbose["words"]!.AsArray(), w => Assert.True(w!["end"]!.GetValue<double>() > w["start"]!.GetValue<double>()));
        Assert.Equal(cliSrt, srt);
    }

    [Fact]
    public async Task Bad_requests_get_one_json_error_each_and_the_server_keeps_serving()
    {
        var client = await Start();
        async Task<(HttpStatusCode, string, string)> Post(HttpContent content) => await ErrorOf(await client.PostAsync("/v1/audio/transcriptions", content));

        Assert.Equal((HttpStatusCode.BadRequest, "clip.wav: truncated RIFF header (expected 12 bytes, found 10).", "invalid_request_error"),
            await Post(Upload("RIFF junk\n"u8.ToArray())));
        Assert.Equal((HttpStatusCode.BadRequest, "empty.wav: the file is empty.", "invalid_request_error"), await Post(Upload([], "empty.wav")));
        Assert.Equal((HttpStatusCode.BadRequest, "short.wav: the clip has 300 samples (0.019 s), fewer than the 400 samples one output frame needs.", "invalid_request_error"),
            await Post(Upload(File.ReadAllBytes(_fixture.Wav("short.wav", _fixture.Samples[..300])), "short.wav")));
        Assert.Equal((HttpStatusCode.BadRequest, "response_format 'mp3' is not one of json, text, srt, vtt, verbose_json.", "invalid_request_error"),
            await Post(Upload(Clip(), format: "mp3")));
        var noFile = new MultipartFormDataContent { { new StringContent("json"), "response_format" } };
        Assert.Equal((HttpStatusCode.BadRequest, "the 'file' field is missing: send the audio as multipart/form-data field 'file'.", "invalid_request_error"), await Post(noFile));
        Assert.Equal((HttpStatusCode.BadRequest, "send the audio as multipart/form-data with a 'file' field.", "invalid_request_error"),
            await Post(new StringContent("{\"file\": \"clip.wav\"}", System.Text.Encoding.UTF8, "application/json")));
        var malformed = new ByteArrayContent("--x\r\nnot a part"u8.ToArray());
        malformed.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        var (status, message, _) = await Post(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("the multipart body cannot be read (", message);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/audio/transcriptions", Upload(Clip()))).StatusCode);
    }

    [Fact]
    public async Task An_upload_over_the_limit_gets_413()
    {
        var client = await Start(maxUploadBytes: 20_000);

        var (status, message, _) = await ErrorOf(await client.PostAsync("/v1/audio/transcriptions", Upload(new byte[50_000])));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Matches(@"^the upload is 50\.[0-9] kB; this server takes at most 20 kB \(--max-upload-mb\)\.$", message);
    }

    [Fact]
    public async Task With_an_api_key_a_request_without_it_gets_401()
    {
        var client = await Start(apiKey: "s3cret");

        var missing = await ErrorOf(await client.PostAsync("/v1/audio/transcriptions", Upload(Clip())));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        var wrong = await client.GetAsync("/v1/models");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        var right = await client.PostAsync("/v1/audio/transcriptions", Upload(Clip()));

        Assert.Equal((HttpStatusCode.Unauthorized, "missing or wrong API key: send the header Authorization: Bearer <key>.", "authentication_error"), missing);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient(_app!.GetTestServer().CreateHandler()) { BaseAddress = client.BaseAddress }.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_and_metrics_count_everything()
    {
        var metrics = new ServerMetrics();
        var client = await Start(maxQueue: 0, metrics: metrics);
        await client.PostAsync("/v1/audio/transcriptions", Upload(Clip()));
        await client.PostAsync("/v1/audio/transcriptions", Upload([], "empty.wav"));

        Interlocked.Increment(ref metrics.QueueDepth); // a request is using the model
        var busy = await client.PostAsync("/v1/audio/transcriptions", Upload(Clip()));
        Interlocked.Decrement(ref metrics.QueueDepth);
        var text = await client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("1", busy.Headers.RetryAfter!.ToString());
        Assert.Equal("the server is busy: 0 requests are already waiting (--max-queue); retry later.", (await ErrorOf(busy)).Message);
        Assert.Contains("w2v_requests_total 3\n", text);
        Assert.Contains("w2v_errors_total{kind=\"bad_audio\"} 1\n", text);
        Assert.Contains("w2v_errors_total{kind=\"busy\"} 1\n", text);
        Assert.Contains("w2v_request_seconds_count 1\n", text);
        Assert.Contains("w2v_queue_depth 0\n", text);
    }

    [Fact]
    public async Task Kestrel_on_loopback_answers_with_the_cli_transcript()
    {
        _transcriber = Transcriber.Load(_fixture.Model);
        _app = TranscriptionServer.Build(new ServerSettings(_transcriber, "tiny", null, 1_000_000, 4), "http://127.0.0.1:0");
        await _app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        var (_, cliText, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, _fixture.Wav("clip.wav"));

        var response = await client.PostAsync("/v1/audio/transcriptions", Upload(Clip(), format: "text"));

        Assert.StartsWith("http://127.0.0.1:", _app.Urls.Single());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cliText.TrimEnd('\n', '\r') + "\n", await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<JsonNode>> Receive(WebSocket socket)
    {
        var messages = new List<JsonNode>();
        var buffer = new byte[1 << 16];
        while (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseSent)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
                break;
            messages.Add(JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!);
        }
        return messages;
    }

    [Fact]
    public async Task A_stream_gets_partial_transcripts_and_a_final_one_equal_to_the_offline_transcript()
    {
        await Start();
        var audio = Enumerable.Repeat(_fixture.Samples, 1 + 40000 / _fixture.Samples.Length).SelectMany(x => x).ToArray(); // at least 2.5 s
        var pcm = audio.Select(x => (short)Math.Clamp(Math.Round(x * 32768), -32768, 32767)).ToArray();
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        var expected = _transcriber!.Transcribe(pcm.Select(x => x / 32768f).ToArray());
        var socket = await _app!.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri("ws://localhost/v1/stream"), CancellationToken.None);

        var receiving = Receive(socket);
        for (int offset = 0; offset < bytes.Length; offset += 8000)
            await socket.SendAsync(bytes.AsMemory(offset, Math.Min(8000, bytes.Length - offset)), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync("{\"type\": \"end\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var messages = await receiving;

        var partials = messages.Where(m => m["type"]!.GetValue<string>() == "partial").ToList();
        var final = messages.Single(m => m["type"]!.GetValue<string>() == "final");
        Assert.True(pcm.Length >= 40000);
        Assert.Equal(pcm.Length / 16000, partials.Count); // one per second of audio
        Assert.Equal([1.0, 2.0], partials.Take(2).Select(p => Math.Floor(p["seconds"]!.GetValue<double>())));
        Assert.Equal(expected.Text, final["text"]!.GetValue<string>());
        Assert.Equal(expected.Text.Replace(" ", ""), string.Concat(final["words"]!.AsArray().Select(w => w!["word"]!.GetValue<string>())));
        Assert.Equal(Math.Round(pcm.Length / 16000.0, 3), final["duration"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("text", "a text message must be {\"type\": \"end\"}; audio goes in binary messages of 16 kHz 16-bit PCM.")]
    [InlineData("odd", "a binary message of 3 bytes is not whole 16-bit samples.")]
    [InlineData("short", "the stream has 100 samples (0.006 s), fewer than the 400 samples one output frame needs.")]
    public async Task A_malformed_stream_gets_one_error_and_is_closed(string kind, string message)
    {
        await Start();
        var socket = await _app!.GetTestServer().CreateWebSocketClient().ConnectAsync(new Uri("ws://localhost/v1/stream"), CancellationToken.None);

        var receiving = Receive(socket);
        switch (kind)
        {
            case "text":
                await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                break;
            case "odd":
                await socket.SendAsync(new byte[3], WebSocketMessageType.Binary, true, CancellationToken.None);
                break;
            default:
                await socket.SendAsync(new byte[200], WebSocketMessageType.Binary, true, CancellationToken.None);
                await socket.SendAsync("{\"type\": \"end\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                break;
        }
        var messages = await receiving;

        var error = Assert.Single(messages);
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal(message, error["error"]!["message"]!.GetValue<string>());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        var client = _app!.GetTestClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/audio/transcriptions", Upload(Clip()))).StatusCode); // still serving
    }
}
