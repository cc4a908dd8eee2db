using System.Diagnostics;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// Puts the Mesh attempt span's W3C context (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) on the request,
/// so the server span is the attempt's child. Without it the context on the wire is that of the span HttpClient starts
/// for the request, under grpc-dotnet's <c>GrpcOut</c>: both exist whenever a span is current, but are only exported
/// when the app also subscribes to <c>System.Net.Http</c> and <c>Grpc.Net.Client</c> — so with Mesh's instrumentation
/// alone, every server span's parent was a span nobody exported. HttpClient's propagation then leaves these headers
/// alone (it only adds headers a request does not have), and its own span, when exported, still hangs under the attempt.
/// </summary>
internal sealed class TraceContextHandler : DelegatingHandler
{
    private static readonly DistributedContextPropagator.PropagatorSetterCallback SetHeader = static (carrier, name, value) =>
    {
        if (carrier is HttpRequestMessage request && name is not null && !request.Headers.Contains(name))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (MeshActivities.Source.HasListeners() && MeshActivities.NearestAttempt() is { } attempt)
        {
            // The process's propagator, the same one HttpClient would have used (W3C by default).
            DistributedContextPropagator.Current.Inject(attempt, request, SetHeader);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
