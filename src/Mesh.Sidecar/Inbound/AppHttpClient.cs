using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Inbound;

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> every forwarded request to the app shares, set up as YARP recommends for
/// direct forwarding: no proxy, no redirects, no decompression, no cookies, several HTTP/2 connections when one is
/// full. Trace headers: <see cref="ReverseProxyPropagator"/> drops the caller's <c>traceparent</c>/<c>tracestate</c>
/// and writes the sidecar's own (its client span, a child of the inbound server span), so the app's span hangs
/// under the sidecar's and the trace stays one; <c>baggage</c> is carried through.
/// </summary>
internal sealed class AppHttpClient : IDisposable
{
    /// <summary>Creates the client.</summary>
    public AppHttpClient() => Invoker = new HttpMessageInvoker(CreateHandler(), disposeHandler: true);

    /// <summary>Gets the shared invoker.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>Builds a handler with YARP's forwarding settings.</summary>
    /// <param name="connectTimeout">How long a connect may take; 5 s by default (the app is on this machine).</param>
    public static SocketsHttpHandler CreateHandler(TimeSpan? connectTimeout = null) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.CreateDefaultPropagator()),
        // The app is on this machine: a connect that takes longer than this is not going to succeed.
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5),
    };

    /// <inheritdoc />
    public void Dispose() => Invoker.Dispose();
}
