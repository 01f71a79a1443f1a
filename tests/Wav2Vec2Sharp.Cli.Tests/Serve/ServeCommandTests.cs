using System.Net;
using System.Net.Sockets;
using Wav2Vec2Sharp.Tests.Cli;
using Wav2Vec2Sharp.Tests.Support;

namespace Wav2Vec2Sharp.Tests.Serve;

/// <summary><c>w2v serve</c> where it cannot listen: one error line and exit code 1, no log lines or stack trace.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly CliModelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("notaurl", "error: --urls: 'notaurl' is not an address to listen on; write it as http://HOST:PORT, e.g. http://127.0.0.1:8080.")]
    [InlineData("http://127.0.0.1:99999", "error: --urls: 'http://127.0.0.1:99999' has port 99999; a port is 0 to 65535.")]
    [InlineData(" ; ", "error: --urls is empty: give an address such as http://127.0.0.1:8080.")]
    public void An_address_that_is_not_one_is_refused_in_one_line(string urls, string message)
    {
        var (code, output, error) = CliRunner.Run("serve", "--model", _fixture.Model, "--urls", urls);

        Assert.Equal((1, "", message + Environment.NewLine), (code, output, error));
    }

    [Fact]
    public void An_address_in_use_is_refused_in_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, output, error) = CliRunner.Run("serve", "--model", _fixture.Model, "--urls", url);

        Assert.Equal((1, ""), (code, output));
        var line = Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: Failed to bind to address {url}", line);
    }
}
