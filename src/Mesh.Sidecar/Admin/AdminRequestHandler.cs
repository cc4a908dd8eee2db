using System.Buffers;
using System.Text.Json;
using Mesh.DependencyInjection.Internal;
using Mesh.Registration.Internal;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Health;
using Mesh.Sidecar.Inbound;
using Mesh.Sidecar.Outbound.Internal;
using Mesh.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Admin;

/// <summary>
/// The admin door (127.0.0.1 by default): <c>/healthz</c> (the sidecar is alive), <c>/ready</c> (the app is healthy and
/// registered), <c>/endpoints</c> and <c>/config</c> (JSON). <c>/metrics</c> is OpenTelemetry's Prometheus
/// exporter, mapped in front of this handler.
/// </summary>
internal sealed class AdminRequestHandler(
    AppProber prober,
    RegistrationService registration,
    InboundForwarder inbound,
    SidecarListeners listeners,
    UpstreamBalancers upstreams,
    IMeshChannels channels,
    TimeProvider time,
    IOptions<SidecarOptions> options,
    IOptions<MeshOptions> meshOptions,
    MeshEnvironment environment,
    IConfiguration configuration)
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Answers one admin request.</summary>
    public Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        switch (context.Request.Path.Value)
        {
            case "/healthz":
                return TextAsync(context, StatusCodes.Status200OK, "ok");
            case "/ready":
                var (ready, reason) = Readiness.Evaluate(prober, registration);
                return TextAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, reason);
            case "/endpoints":
                return JsonAsync(context, json => EndpointsDocument.Write(json, registration, prober, inbound.AppAddress, listeners,
                    upstreamsJson => UpstreamsDocument.Write(upstreamsJson, upstreams, channels, listeners, time)));
            case "/config":
                var registry = RegistrySelector.Resolve(meshOptions.Value, environment).ToString();
                return JsonAsync(context, json => ConfigDocument.Write(json, options.Value, registry, listeners, configuration));
            default:
                return TextAsync(context, StatusCodes.Status404NotFound, "not found; the admin endpoints are /healthz /ready /metrics /endpoints /config");
        }
    }

    private static Task TextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }

    private static async Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            write(json);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
