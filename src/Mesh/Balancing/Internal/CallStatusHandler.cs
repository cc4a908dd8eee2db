using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Mesh.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Reports failed gRPC statuses to outlier ejection. gRPC's call tracker completes when response headers arrive and
/// sees only transport errors, but a server that fails a call before sending a message answers "trailers-only": the
/// status is in those headers. This handler sits inside gRPC's balancer handler, which has already stored the picked
/// subchannel on the request. What counts is <see cref="OutcomeClassifier"/>'s (the sidecar's outbound door uses the
/// same): a 4xx is the caller's error and never counts against the instance.
/// </summary>
internal sealed class CallStatusHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<Subchannel> SubchannelKey = new("Subchannel");
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(20);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = request.Options.TryGetValue(SubchannelKey, out var subchannel)
            && subchannel.Attributes.TryGetValue(BalancingConstants.EndpointStateKey, out var state) ? state : null;
        var started = endpoint?.Group.Time.GetTimestamp() ?? 0;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (endpoint is not null && RanOutOfTime(request, endpoint, started))
        {
            // No answer (not even headers) within the call's deadline: the instance is hung, a black hole that accepts
            // and never answers. gRPC reports it to the tracker as a cancellation, which counts neither way (a caller's
            // own cancellation says nothing about the instance), so P2C avoided it but it was never ejected.
            endpoint.OnDeadlineExceeded();
            throw;
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && endpoint is SubchannelEndpointState refusing)
        {
            // gRPC may hold the subchannel as ready while its instance is gone (a socket per call, each refused):
            // the picker skips it for a while, and fails fast with "no reachable instances" when all refuse.
            // Answered as a trailers-only UNAVAILABLE in Mesh's words rather than gRPC's raw "Error starting gRPC call",
            // counted against the instance as that failure would be (the tracker then sees a completed call).
            refusing.OnConnectRefused();
            refusing.OnStatusFailure();
            return Refused(request, MeshPicker.NoReachableInstances(refusing.Group.ServiceName, $"{refusing} refused its connection"));
        }

        (endpoint as SubchannelEndpointState)?.OnAnswered();

        var code = OutcomeClassifier.FromHeaders(response);
        if (code != StatusCode.OK && endpoint is not null && endpoint.Group.Detector.IsFailureStatus(code))
        {
            endpoint.OnStatusFailure();
        }

        return response;
    }

    private static HttpResponseMessage Refused(HttpRequestMessage request, Status status)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request, Version = request.Version, Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentType = new("application/grpc");
        response.Headers.TryAddWithoutValidation("grpc-status", ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.TryAddWithoutValidation("grpc-message", Uri.EscapeDataString(status.Detail));
        return response;
    }

    /// <summary>Whether the attempt was cancelled by its deadline (the <c>grpc-timeout</c> it was sent with has passed).</summary>
    private static bool RanOutOfTime(HttpRequestMessage request, EndpointState endpoint, long started) =>
        request.Headers.TryGetValues(GrpcTimeout.HeaderName, out var values)
        && GrpcTimeout.Parse(values.FirstOrDefault()) is { } timeout
        // gRPC rounds the header up and writes it before this handler starts: allow for both.
        && endpoint.Group.Time.GetElapsedTime(started) + DeadlineSlack >= timeout;
}
