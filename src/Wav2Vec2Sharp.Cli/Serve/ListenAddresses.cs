using System.Text.RegularExpressions;

namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>The <c>--urls</c> of <c>w2v serve</c>, checked before the server is built so that a typo gets one clear error.</summary>
internal static partial class ListenAddresses
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first address of <paramref name="urls"/> (separated by ';') that
    /// Kestrel cannot listen on: each must be <c>http://</c> or <c>https://</c> (any case), then a host (a name, an IP
    /// address, an IPv6 address in brackets with an optional zone, <c>*</c> or <c>+</c>) and optionally a port from 0 to
    /// 65535 (0: any free port), or a Unix socket, <c>http://unix:/path</c>.
    /// </summary>
    public static void Check(string urls)
    {
        var addresses = urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (addresses.Length == 0)
            throw new ArgumentException("--urls is empty: give an address such as http://127.0.0.1:8080.");
        foreach (var address in addresses)
        {
            var match = Address().Match(address);
            if (!match.Success)
                throw new ArgumentException($"--urls: '{address}' is not an address to listen on; write it as http://HOST:PORT, e.g. http://127.0.0.1:8080.");
            if (match.Groups["port"].Success && (!int.TryParse(match.Groups["port"].Value, out int port) || port > 65535))
                throw new ArgumentException($"--urls: '{address}' has port {match.Groups["port"].Value}; a port is 0 to 65535.");
        }
    }

    [GeneratedRegex(@"^https?://(unix:/\S+|(\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?\]|[A-Za-z0-9*+._-]+)(:(?<port>[0-9]+))?/?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Address();
}
