using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>YARP's default request copy, plus the caller's Host/<c>:authority</c>: the app sees what its callers asked for.</summary>
internal sealed class InboundTransformer : HttpTransformer
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static readonly InboundTransformer Instance = new();

    private InboundTransformer()
    {
    }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        if (httpContext.Request.Host.HasValue)
        {
            proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        }
    }
}
