using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Wav2Vec2Sharp.Audio;
using Wav2Vec2Sharp.Cli.Serve;
using Wav2Vec2Sharp.Inference;
using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Serve;

/// <summary>
/// <c>w2v serve</c>'s model thread (<see cref="ModelWorker"/>): requests waiting together are transcribed in one batch,
/// each with its own transcript; a client that leaves while queued is never transcribed; stopping finishes the queue.
/// The model thread is held by a job the test releases (no sleeps), so that requests pile up deterministically.
/// </summary>
public sealed class ServeBatchingTests : IAsyncLifetime, IDisposable
{
    private const string Endpoint = "/v1/audio/transcriptions";
    private readonly CliModelFixture _fixture = new();
    private Transcriber? _transcriber;
    private WebApplication? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    public void Dispose()
    {
        _transcriber?.Dispose();
        _fixture.Dispose();
    }

    private async Task<(ModelWorker Worker, ServerMetrics Metrics)> Start(bool kestrel, int batchSize)
    {
        _transcriber = Transcriber.Load(_fixture.Model);
        var metrics = new ServerMetrics();
        var settings = new ServerSettings(_transcriber, "tiny", null, 1_000_000, 16) { Metrics = metrics, BatchSize = batchSize };
        _app = TranscriptionServer.Build(settings, "http://127.0.0.1:0", kestrel ? null : builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        return (_app.Services.GetRequiredService<ModelWorker>(), metrics);
    }

    private static MultipartFormDataContent Upload(string path) => new()
    {
        { new ByteArrayContent(File.ReadAllBytes(path)), "file", Path.GetFileName(path) },
        { new StringContent("text"), "response_format" },
    };

    // Holds the model thread until the returned gate is set; returns once the hold has begun.
    private static (Task Busy, ManualResetEventSlim Gate) Hold(ModelWorker worker)
    {
        var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var busy = worker.Run(_ =>
        {
            started.Set();
            return gate.Wait(TimeSpan.FromMinutes(2));
        }, CancellationToken.None);
        started.Wait(TimeSpan.FromMinutes(1));
        return (busy, gate);
    }

    // Waits for a state the server reaches by itself (a queue length, a counter); fails after a minute.
    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
                throw new TimeoutException($"waited a minute for {what}");
            await Task.Delay(5);
        }
    }

    private static string Line(string metrics, string name) =>
        metrics.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal));

    [Fact]
    public async Task Requests_waiting_together_are_transcribed_in_batches_each_with_its_own_transcript()
    {
        var (worker, metrics) = await Start(kestrel: false, batchSize: 4);
        var client = _app!.GetTestClient();
        double[] fractions = [1.0, 0.45, 0.8, 0.6, 0.95, 0.7];
        var files = fractions.Select((f, i) => _fixture.Wav($"batch/{i}.wav", _fixture.Samples[..(int)(_fixture.Samples.Length * f)])).ToList();
        var (code, cliOutput, _) = CliRunner.Run(["transcribe", "--model", _fixture.Model, .. files]);
        var cli = cliOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r').Split('\t')).ToDictionary(p => p[0], p => p[1]);
        async Task<string> Ask(string file)
        {
            var response = await client.PostAsync(Endpoint, Upload(file));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var alone = new List<string>();
        foreach (var file in files)
            alone.Add(await Ask(file)); // six batches of one

        var (busy, gate) = Hold(worker);
        List<Task<string>> together;
        try
        {
            together = files.Select(Ask).ToList();
            await Until(() => worker.Waiting == files.Count, "all six requests to wait for the model");
        }
        finally
        {
            gate.Set();
        }
        await busy;
        var answers = await Task.WhenAll(together);
        gate.Dispose();

        Assert.Equal(0, code);
        Assert.Equal(files.Select(f => cli[f] + "\n"), alone);
        Assert.Equal(alone, answers);
        Assert.Equal(files.Count, alone.Distinct().Count()); // six clips, six different transcripts
        var text = metrics.Render();
        Assert.Equal("w2v_batch_size_bucket{le=\"1\"} 6", Line(text, "w2v_batch_size_bucket{le=\"1\"}"));
        Assert.Equal("w2v_batch_size_bucket{le=\"2\"} 7", Line(text, "w2v_batch_size_bucket{le=\"2\"}")); // the six waiting went as 4, then 2
        Assert.Equal("w2v_batch_size_bucket{le=\"4\"} 8", Line(text, "w2v_batch_size_bucket{le=\"4\"}"));
        Assert.Equal("w2v_batch_size_sum 12", Line(text, "w2v_batch_size_sum"));
        Assert.Equal("w2v_batch_size_count 8", Line(text, "w2v_batch_size_count"));
        Assert.Equal(12, worker.ClipsTranscribed);
    }

    [Fact]
    public async Task With_batch_size_one_waiting_requests_go_one_at_a_time()
    {
        var (worker, metrics) = await Start(kestrel: false, batchSize: 1);
        var client = _app!.GetTestClient();
        var file = _fixture.Wav("clip.wav");

        var (busy, gate) = Hold(worker);
        List<Task<HttpResponseMessage>> waiting;
        try
        {
            waiting = Enumerable.Range(0, 3).Select(_ => client.PostAsync(Endpoint, Upload(file))).ToList();
            await Until(() => worker.Waiting == 3, "three requests to wait for the model");
        }
        finally
        {
            gate.Set();
        }
        await busy;
        var answers = await Task.WhenAll(waiting);
        gate.Dispose();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal("w2v_batch_size_count 3", Line(metrics.Render(), "w2v_batch_size_count"));
        Assert.Equal("w2v_batch_size_bucket{le=\"1\"} 3", Line(metrics.Render(), "w2v_batch_size_bucket{le=\"1\"}"));
    }

    [Fact]
    public async Task A_client_that_disconnects_while_queued_is_never_transcribed_and_the_others_are_answered()
    {
        var (worker, metrics) = await Start(kestrel: true, batchSize: 4);
        using var client = new HttpClient { BaseAddress = new Uri(_app!.Urls.Single()) };
        var file = _fixture.Wav("clip.wav");
        var (_, cliText, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, file);

        var (busy, gate) = Hold(worker);
        using var leave = new CancellationTokenSource();
        Task<HttpResponseMessage> staying;
        try
        {
            var leaving = client.PostAsync(Endpoint, Upload(file), leave.Token);
            await Until(() => worker.Waiting == 1, "the first request to wait for the model");
            staying = client.PostAsync(Endpoint, Upload(file));
            await Until(() => worker.Waiting == 2, "the second request to wait for the model");
            leave.Cancel(); // the client closes its connection
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
            await Until(() => worker.Waiting == 1, "the server to take the departed client's job out of the queue");
        }
        finally
        {
            gate.Set();
        }
        await busy;
        var answer = await staying;
        gate.Dispose();
        await Until(() => Volatile.Read(ref metrics.QueueDepth) == 0, "both requests to be done");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(cliText, await answer.Content.ReadAsStringAsync());
        Assert.Equal(1, worker.ClipsTranscribed); // the departed client's clip never ran
        var text = metrics.Render();
        Assert.Equal("w2v_errors_total{kind=\"client_gone\"} 1", Line(text, "w2v_errors_total{kind=\"client_gone\"}"));
        Assert.Equal("w2v_dropped_total 1", Line(text, "w2v_dropped_total"));
        Assert.Equal("w2v_batch_size_sum 1", Line(text, "w2v_batch_size_sum"));
        Assert.Equal("w2v_queue_depth 0", Line(text, "w2v_queue_depth"));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Endpoint, Upload(file))).StatusCode); // still serving
    }

    [Fact]
    public async Task Stopping_the_server_finishes_the_queued_requests_then_stops_the_model_thread()
    {
        var (worker, _) = await Start(kestrel: true, batchSize: 4);
        using var client = new HttpClient { BaseAddress = new Uri(_app!.Urls.Single()) };
        var file = _fixture.Wav("clip.wav");
        var (_, cliText, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, file);

        var (busy, gate) = Hold(worker);
        List<Task<HttpResponseMessage>> queued;
        Task stopping;
        try
        {
            queued = Enumerable.Range(0, 3).Select(_ => client.PostAsync(Endpoint, Upload(file))).ToList();
            await Until(() => worker.Waiting == 3, "three requests to wait for the model");
            stopping = _app.StopAsync(); // what SIGTERM or Ctrl+C does
            await Until(() => _app.Lifetime.ApplicationStopping.IsCancellationRequested, "the server to begin stopping");
        }
        finally
        {
            gate.Set();
        }
        await busy;
        var answers = await Task.WhenAll(queued);
        await stopping;
        gate.Dispose();

        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(cliText, await answer.Content.ReadAsStringAsync());
        }
        Assert.Equal(3, worker.ClipsTranscribed);
        Assert.Equal(0, worker.Waiting);
        Assert.Throws<ServerStoppingException>(() => { _ = worker.Transcribe(AudioFile.Load(file, 16000), CancellationToken.None); }); // refused at once, not queued
    }

    [Fact]
    public void A_batch_size_below_one_is_refused()
    {
        var (code, _, error) = CliRunner.Run("serve", "--model", _fixture.Model, "--batch-size", "0");

        Assert.Equal(1, code);
        Assert.Equal("error: --batch-size must be at least 1, not 0." + Environment.NewLine, error);
    }
}
