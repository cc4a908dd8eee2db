using System.Globalization;

namespace Mesh.Registries.Static;

/// <summary>Parses a configured endpoint: <c>host:port</c>, <c>[v6]:port</c> or an absolute URI with a port.</summary>
internal static class StaticEndpointParser
{
    public static bool TryParse(string? text, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                return false;
            }

            host = uri.Host.Trim('[', ']');
            port = uri.Port;
            return port > 0;
        }

        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        host = value[..colon].Trim('[', ']');
        return host.Length > 0
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
