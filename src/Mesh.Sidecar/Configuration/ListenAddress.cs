using System.Globalization;
using System.Net;

namespace Mesh.Sidecar.Configuration;

/// <summary>A listen URL of the sidecar (<c>http://ip:port</c>), parsed and checked.</summary>
/// <param name="Key">The configuration key it came from, for messages.</param>
/// <param name="EndPoint">What to bind; port 0 picks a free port.</param>
internal sealed record ListenAddress(string Key, IPEndPoint EndPoint)
{
    /// <summary>The accepted form, for messages.</summary>
    public const string Form = "http://<IP address, localhost or *>:<port 0-65535>, such as http://127.0.0.1:4191";

    /// <summary>Gets whether only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(EndPoint.Address);

    /// <summary>Gets the port (0 until bound, when configured so).</summary>
    public int Port => EndPoint.Port;

    /// <summary>Parses <paramref name="url"/>; on failure <paramref name="error"/> names <paramref name="key"/> and the accepted form.</summary>
    public static ListenAddress? TryParse(string key, string? url, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(url) || !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            error = $"{key} must be a listen URL {Form}; got '{url}'.";
            return null;
        }

        var authority = url["http://".Length..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"{key} must be a listen URL {Form} (the port is required); got '{url}'.";
            return null;
        }

        var host = authority[..colon];
        IPAddress? address = host switch
        {
            "*" or "+" => IPAddress.Any,
            _ when host.Equals("localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
            _ => IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : null,
        };
        if (address is null)
        {
            error = $"{key} must be a listen URL {Form} (a host name other than localhost cannot be bound); got '{url}'.";
            return null;
        }

        return new ListenAddress(key, new IPEndPoint(address, port));
    }

    /// <inheritdoc />
    public override string ToString() => $"http://{EndPoint}";
}
