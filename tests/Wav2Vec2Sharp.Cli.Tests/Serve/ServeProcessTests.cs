using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Tests.Distributed;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Serve;

/// <summary><c>w2v serve</c> as a process: SIGTERM lets the request in flight finish, then the server exits 0.</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    // Sends the first half of the body, waits for `middle`, then sends the rest: a request still in flight.
    private sealed class SlowContent(byte[] body, Func<Task> middle) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await middle();
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Fact]
    public async Task Sigterm_lets_the_request_in_flight_finish_then_the_server_exits_0()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var url = $"http://127.0.0.1:{port}";
        using var server = Process.Start(new ProcessStartInfo(Mpirun.W2v, ["serve", "--model", _fixture.Model, "--urls", url, "--threads", "1"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith($"serving {Path.GetFileName(_fixture.Model)} at {url}", Mpirun.WithoutTerminalModes(line ?? ""));
            var (_, cliText, _) = CliRunner.Run("transcribe", "--model", _fixture.Model, _fixture.Wav("clip.wav"));
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(File.ReadAllBytes(_fixture.Wav("clip.wav"))), "file", "clip.wav" },
                { new StringContent("text"), "response_format" },
            };
            var body = await form.ReadAsByteArrayAsync();
            var content = new SlowContent(body, async () =>
            {
                using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString()]))
                    await kill.WaitForExitAsync();
                await Task.Delay(1000); // the server is stopping while this request waits for its second half
            });
            content.Headers.ContentType = form.Headers.ContentType;
            using var client = new HttpClient { BaseAddress = new Uri(url) };

            var response = await client.PostAsync("/v1/audio/transcriptions", content);
            bool exited = server.WaitForExit(TimeSpan.FromSeconds(30));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(cliText.TrimEnd('\n', '\r') + "\n", await response.Content.ReadAsStringAsync());
            Assert.True(exited, "the server still ran 30 s after SIGTERM");
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }
}
