using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>
/// The Kestrel transport for <see cref="InboundEndPoint"/>s: binds the shared port on a socket (Kestrel's own socket
/// transport) once, and hands each endpoint the connections of its protocol. Every other endpoint (admin) is left to
/// Kestrel's socket transport.
/// </summary>
internal sealed class InboundListenerFactory(IOptions<SocketTransportOptions> socketOptions, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SocketTransportFactory _sockets = new(socketOptions, loggerFactory);

    public bool CanBind(EndPoint endpoint) => endpoint is InboundEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is InboundEndPoint inbound
            ? inbound.Port.BindAsync(inbound, _sockets, timeProvider, cancellationToken)
            : throw new NotSupportedException($"{endpoint.GetType().Name} is not an inbound endpoint.");
}
