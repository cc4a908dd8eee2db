using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>
/// Names the service a request on the shared outbound port is for, from its Host/<c>:authority</c>: <c>payments</c>,
/// <c>payments:80</c> and <c>payments.mesh</c> all mean the mesh service <c>payments</c> (the port is the app's
/// habit, not the service's: instances have their own).
/// </summary>
internal static class OutboundRoute
{
    /// <summary>The suffix an app may put on a mesh name so that it reads as a host name.</summary>
    public const string MeshSuffix = ".mesh";

    /// <summary>Returns the service named by <paramref name="host"/>, or null when it names none (absent, an address, bad characters).</summary>
    public static string? ServiceFromHost(HostString host)
    {
        if (!host.HasValue || host.Host is not { Length: > 0 } name)
        {
            return null;
        }

        if (name.EndsWith(MeshSuffix, StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^MeshSuffix.Length];
        }

        // An IP literal or localhost names this machine, not a service.
        if (name.Length == 0 || name.StartsWith('[') || System.Net.IPAddress.TryParse(name, out _) || name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return null;
            }
        }

        return name;
    }
}
