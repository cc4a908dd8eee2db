using System.Net;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Errors;
using Mesh.Sidecar.Inbound.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Inbound;

/// <summary>
/// The inbound door: every request that is not for the admin listener goes to the app at 127.0.0.1:<c>AppPort</c>
/// through YARP's <see cref="IHttpForwarder"/>: gRPC over h2c, everything else over HTTP/1.1 (whatever it arrived in),
/// streamed both ways (bodies, trailers, <c>grpc-timeout</c> and cancellation pass through). A request the app
/// cannot take is answered by <see cref="ProxyErrorResponder"/>: 502 for HTTP, trailers-only UNAVAILABLE for gRPC.
/// </summary>
internal sealed partial class InboundForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly ILogger _logger;
    private readonly ForwarderRequestConfig _http1;
    private readonly ForwarderRequestConfig _http2;

    /// <summary>Creates the forwarder.</summary>
    public InboundForwarder(IHttpForwarder forwarder, AppHttpClient client, IOptions<SidecarOptions> options, ILogger<InboundForwarder> logger)
    {
        _forwarder = forwarder;
        _client = client.Invoker;
        _logger = logger;
        var settings = options.Value;
        AppAddress = $"{SidecarDefaults.AppHost}:{settings.AppPort}";
        Destination = $"http://{AppAddress}/";
        // h2c needs RequestVersionExact: "HTTP/2 or lower" over cleartext would quietly downgrade gRPC to HTTP/1.1.
        _http2 = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, ActivityTimeout = settings.IdleTimeout };
        _http1 = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower, ActivityTimeout = settings.IdleTimeout };
    }

    /// <summary>Gets the app's <c>host:port</c>.</summary>
    public string AppAddress { get; }

    /// <summary>Gets the URL prefix requests are sent to.</summary>
    public string Destination { get; }

    /// <summary>Forwards one request to the app.</summary>
    public async Task ForwardAsync(HttpContext context)
    {
        var grpc = ProxyErrorResponder.IsGrpc(context.Request);
        InboundSpan.Enrich(context, grpc);
        // gRPC needs HTTP/2; anything else goes as HTTP/1.1, which every app speaks (an h2c caller's request included).
        var config = grpc ? _http2 : _http1;
        var error = await _forwarder.SendAsync(context, Destination, _client, config, InboundTransformer.Instance).ConfigureAwait(false);
        if (error == ForwarderError.None)
        {
            return;
        }

        var reason = context.GetForwarderErrorFeature()?.Exception?.Message ?? error.ToString();
        Log.ForwardFailed(_logger, context.Request.Path.Value ?? "/", AppAddress, error, reason);
        var (kind, message) = error switch
        {
            ForwarderError.RequestTimedOut => (ProxyError.Timeout, $"the app at {AppAddress} made no progress within {config.ActivityTimeout}"),
            ForwarderError.RequestBodyClient or ForwarderError.RequestCreation => (ProxyError.BadRequest, $"the request could not be forwarded to the app: {reason}"),
            _ => (ProxyError.Unreachable, $"the app at {AppAddress} is unreachable: {reason}"),
        };
        await ProxyErrorResponder.RespondAsync(context, kind, message).ConfigureAwait(false);
    }
}
