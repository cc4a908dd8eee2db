using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Reports failed gRPC statuses to outlier ejection. gRPC's call tracker completes when response headers arrive and
/// sees only transport errors, but a server that fails a call before sending a message answers "trailers-only": the
/// status is in those headers. This handler sits inside gRPC's balancer handler, which has already stored the picked
/// subchannel on the request.
/// </summary>
internal sealed class CallStatusHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<Subchannel> SubchannelKey = new("Subchannel");


    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (TryGetFailure(response, out var code)
            && request.Options.TryGetValue(SubchannelKey, out var subchannel)
            && subchannel.Attributes.TryGetValue(BalancingConstants.EndpointStateKey, out var endpoint)
            && endpoint.Group.Detector.IsFailureStatus(code))
        {
            endpoint.OnStatusFailure();
        }

        return response;
    }

    private static bool TryGetFailure(HttpResponseMessage response, out StatusCode code)
    {
        if (!response.IsSuccessStatusCode)
        {
            // gRPC maps HTTP errors (a proxy's 502/503/504, an overloaded server's 429) to Unavailable.
            code = StatusCode.Unavailable;
            return true;
        }

        code = StatusCode.OK;
        if (response.Headers.NonValidated.TryGetValues("grpc-status", out var values))
        {
            foreach (var value in values)
            {
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed != 0)
                {
                    code = (StatusCode)parsed;
                    return true;
                }
            }
        }

        return false;
    }
}
