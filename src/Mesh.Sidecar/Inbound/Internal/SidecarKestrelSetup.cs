using Mesh.Sidecar.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>
/// Kestrel's endpoints: the inbound port as an HTTP/1.1 and an h2c endpoint over one socket
/// (<see cref="SharedInboundPort"/>), the outbound port and each upstream port
/// the same way, and the admin port (HTTP/1.1).
/// </summary>
internal sealed class SidecarKestrelSetup(SidecarListeners listeners, IOptions<SidecarOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        SidecarOptions settings;
        try
        {
            settings = options.Value;
        }
        catch (OptionsValidationException)
        {
            return; // the server is built before the host starts; the start reports the bad keys
        }

        kestrel.Listen(new InboundEndPoint(listeners.Inbound, HttpProtocols.Http1), listen => listen.Protocols = HttpProtocols.Http1);
        kestrel.Listen(new InboundEndPoint(listeners.Inbound, HttpProtocols.Http2), listen => listen.Protocols = HttpProtocols.Http2);
        // The outbound ports take what the app sends, HTTP/1.1 or h2c, so they share a socket per port the same way.
        foreach (var port in listeners.Upstreams.Select(u => u.Port).Prepend(listeners.Outbound))
        {
            kestrel.Listen(new InboundEndPoint(port, HttpProtocols.Http1), listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(new InboundEndPoint(port, HttpProtocols.Http2), listen => listen.Protocols = HttpProtocols.Http2);
        }

        kestrel.Listen(settings.AdminAddress.EndPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listeners.SetAdmin(listen);
        });
        kestrel.AddServerHeader = false;
        // Bodies are streamed to the app, which applies its own limits: a proxy that capped them would break uploads.
        kestrel.Limits.MaxRequestBodySize = null;
    }
}
