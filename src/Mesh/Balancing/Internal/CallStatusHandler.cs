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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var code = OutcomeClassifier.FromHeaders(response);
        if (code != StatusCode.OK
            && request.Options.TryGetValue(SubchannelKey, out var subchannel)
            && subchannel.Attributes.TryGetValue(BalancingConstants.EndpointStateKey, out var endpoint)
            && endpoint.Group.Detector.IsFailureStatus(code))
        {
            endpoint.OnStatusFailure();
        }

        return response;
    }
}
