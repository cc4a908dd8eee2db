using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mesh.Registration.Internal;

/// <summary>
/// Builds this instance's <see cref="ServiceRegistration"/> from options, filling address and port from the
/// server's bound addresses (so <c>--urls http://127.0.0.1:0</c> registers the real port).
/// </summary>
internal static class ServiceRegistrationFactory
{
    public static ServiceRegistration Create(RegistrationOptions options, IServer? server, Uri? boundAddress = null)
    {
        var name = options.ServiceName ?? throw new InvalidOperationException("Mesh:Registration:ServiceName is not set.");
        var bound = boundAddress ?? FirstBoundAddress(server);
        var scheme = bound?.Scheme ?? Uri.UriSchemeHttp;
        var port = options.Port ?? bound?.Port
            ?? throw new InvalidOperationException("Mesh:Registration:Port is not set and the app has no bound HTTP address to take it from.");
        var address = options.Address ?? AdvertisedHost(bound?.Host);
        var id = options.ServiceId ?? DefaultId(name, port);

        return new ServiceRegistration(id, name, address, port)
        {
            Tags = [.. options.Tags],
            Meta = options.Meta.ToImmutableDictionary(StringComparer.Ordinal),
            Check = options.Check switch
            {
                HealthCheckKind.Http => HealthCheckDefinition.Http(
                    new Uri($"{scheme}://{UriHost(address)}:{port}{options.HealthPath}"), options.CheckInterval, options.CheckTimeout),
                HealthCheckKind.Grpc => HealthCheckDefinition.Grpc(
                    $"{UriHost(address)}:{port}", options.CheckInterval, options.CheckTimeout, scheme == Uri.UriSchemeHttps),
                _ => HealthCheckDefinition.Ttl(options.Ttl),
            },
            DeregisterCriticalServiceAfter = options.DeregisterCriticalServiceAfter,
        };
    }

    /// <summary>A stable id: the same name, machine and port give the same id across restarts.</summary>
    public static string DefaultId(string name, int port)
    {
        var builder = new StringBuilder();
        foreach (var c in $"{name}-{Environment.MachineName}-{port}".ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        return builder.ToString();
    }

    private static Uri? FirstBoundAddress(IServer? server)
    {
        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            return null;
        }

        foreach (var address in addresses)
        {
            // Kestrel reports wildcards as http://[::]:80, http://0.0.0.0:80, http://+:80 or http://*:80.
            var normalized = address.Replace("://+", "://wildcard.invalid", StringComparison.Ordinal)
                .Replace("://*", "://wildcard.invalid", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri) && uri.Port > 0)
            {
                return uri;
            }
        }

        return null;
    }

    /// <summary>What others should dial: loopback stays loopback, a wildcard bind becomes this machine's address.</summary>
    private static string AdvertisedHost(string? boundHost)
    {
        var host = boundHost?.Trim('[', ']');
        if (string.IsNullOrEmpty(host) || host is "wildcard.invalid" or "0.0.0.0" or "::")
        {
            return FirstNonLoopbackIPv4() ?? IPAddress.Loopback.ToString();
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback.ToString() : host;
    }

    private static string? FirstNonLoopbackIPv4()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address.ToString();
                }
            }
        }

        return null;
    }

    private static string UriHost(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
}
