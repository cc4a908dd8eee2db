using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>
/// One of the two Kestrel endpoints over the inbound port: Kestrel binds one for HTTP/1.1 and one for h2c, and
/// <see cref="InboundListenerFactory"/> serves both from the same socket.
/// </summary>
internal sealed class InboundEndPoint(SharedInboundPort port, HttpProtocols protocol) : EndPoint
{
    /// <summary>Gets the shared port.</summary>
    public SharedInboundPort Port { get; } = port;

    /// <summary>Gets the protocol of the connections this endpoint accepts.</summary>
    public HttpProtocols Protocol { get; } = protocol;

    /// <inheritdoc />
    public override AddressFamily AddressFamily => Port.Requested.AddressFamily;

    /// <summary>The bound address (Kestrel shows it as <c>http://{this}</c>).</summary>
    public override string ToString() => (Port.Bound ?? Port.Requested).ToString();
}
