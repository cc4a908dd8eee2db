using System.Net;
using System.Net.Sockets;
using Mesh.Registration.Internal;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Inbound.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar;

/// <summary>
/// The sidecar's listeners as bound: which local port is which door, and the address the app is registered at
/// (the inbound one, never the admin one).
/// </summary>
internal sealed class SidecarListeners : IRegistrationAddressSource, IDisposable
{
    private readonly Lazy<SharedInboundPort> _inbound;
    private readonly Lazy<SharedInboundPort> _outbound;
    private readonly Lazy<(string Service, SharedInboundPort Port)[]> _upstreams;
    private ListenOptions? _admin;

    /// <summary>Creates the listeners; options are read (and validated) when Kestrel first binds.</summary>
    public SidecarListeners(IOptions<SidecarOptions> options)
    {
        _inbound = new(() => new SharedInboundPort(options.Value.InboundAddress.EndPoint));
        _outbound = new(() => new SharedInboundPort(options.Value.OutboundAddress.EndPoint));
        // Upstream ports are the app's: on loopback, like the outbound port (Consul Connect's local_bind_address).
        _upstreams = new(() => [.. options.Value.Upstreams.OrderBy(u => u.Key, StringComparer.Ordinal)
            .Select(u => (u.Key, new SharedInboundPort(new IPEndPoint(IPAddress.Loopback, u.Value))))]);
    }

    /// <summary>Gets the shared outbound port (HTTP/1.1 and h2c), routed by Host/<c>:authority</c>.</summary>
    public SharedInboundPort Outbound => _outbound.Value;

    /// <summary>Gets the port of each <c>Mesh:Sidecar:Upstreams:&lt;service&gt;</c>.</summary>
    public IReadOnlyList<(string Service, SharedInboundPort Port)> Upstreams => _upstreams.Value;

    /// <summary>Gets the bound outbound address, once bound.</summary>
    public IPEndPoint? OutboundBound => _outbound.IsValueCreated ? _outbound.Value.Bound : null;

    /// <summary>
    /// Whether a request came in on an outbound listener; <paramref name="upstream"/> is the service of its upstream
    /// port, or null on the shared outbound port (the Host names the service).
    /// </summary>
    public bool IsOutbound(HttpContext context, out string? upstream)
    {
        upstream = null;
        var port = context.Connection.LocalPort;
        if (_upstreams.IsValueCreated)
        {
            foreach (var (service, listener) in _upstreams.Value)
            {
                if (listener.Bound?.Port == port)
                {
                    upstream = service;
                    return true;
                }
            }
        }

        return OutboundBound?.Port == port;
    }

    /// <summary>Gets the inbound port (HTTP/1.1 and h2c).</summary>
    public SharedInboundPort Inbound => _inbound.Value;

    /// <summary>Gets the bound inbound address, once bound.</summary>
    public IPEndPoint? InboundBound => _inbound.IsValueCreated ? _inbound.Value.Bound : null;

    /// <summary>Gets the bound admin address, once bound (Kestrel writes the real port back to its listen options).</summary>
    public IPEndPoint? AdminBound => Volatile.Read(ref _admin)?.IPEndPoint is { Port: > 0 } bound ? bound : null;

    /// <summary>Remembers the admin endpoint's listen options, whose address Kestrel updates when it binds.</summary>
    internal void SetAdmin(ListenOptions listen) => Volatile.Write(ref _admin, listen);

    /// <summary>Whether a request came in on the admin listener.</summary>
    public bool IsAdmin(HttpContext context) => AdminBound is { } admin && context.Connection.LocalPort == admin.Port;

    /// <inheritdoc />
    public Uri? GetAddress() => InboundBound is { } bound ? new Uri($"http://{Format(bound)}") : null;

    /// <summary>Formats an address for a URL (IPv6 in brackets).</summary>
    public static string Format(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_inbound.IsValueCreated)
        {
            _inbound.Value.Dispose();
        }

        if (_outbound.IsValueCreated)
        {
            _outbound.Value.Dispose();
        }

        if (_upstreams.IsValueCreated)
        {
            foreach (var (_, port) in _upstreams.Value)
            {
                port.Dispose();
            }
        }
    }
}
