namespace Mesh.Balancing.Internal;

/// <summary>
/// Lets outlier ejection see failed gRPC statuses. gRPC's call tracker completes when response headers arrive and
/// sees only transport errors, but a server that fails a call before sending a message answers "trailers-only": the
/// status is in those headers. This handler sits inside gRPC's balancer handler, after the pick: it hands the
/// response's task to the call's <see cref="CallTracker"/> (which the picker left on the request), and the tracker
/// reads the status when gRPC completes it, once the headers are in. What counts is
/// <see cref="Mesh.Internal.OutcomeClassifier"/>'s (the sidecar's outbound door uses the same): a 4xx is the
/// caller's error and never counts against the instance. An attempt that got no answer at all before its
/// <c>grpc-timeout</c> is the instance's <c>DeadlineExceeded</c> (a black hole), which the tracker also reads from here.
/// </summary>
/// <remarks>
/// Not an async layer of its own: awaiting the response here cost every call a state machine (~90 B) and a
/// continuation, only to look at headers that the tracker's completion, which follows anyway, can read.
/// </remarks>
internal sealed class CallStatusHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = base.SendAsync(request, cancellationToken);
        if (request.Options.TryGetValue(CallTracker.RequestKey, out var tracker))
        {
            tracker.Request = request;
            tracker.Response = response;
        }

        return response;
    }
}
