using Grpc.Net.Client.Balancer;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// The library door's picker: grpc-dotnet's <see cref="SubchannelPicker"/> over the transport-neutral
/// <see cref="EndpointPicker"/>. It tells tracing where the attempt went and rents the chosen instance's call tracker.
/// </summary>
internal sealed class MeshPicker(EndpointPicker inner) : SubchannelPicker
{
    /// <summary>Gets the choice this picker hands to gRPC.</summary>
    internal EndpointPicker Inner { get; } = inner;

    /// <summary>Gets the ready instances this picker chooses among.</summary>
    internal EndpointState[] All => Inner.All;

    public override PickResult Pick(PickContext context)
    {
        // Every state of a library balancer is a SubchannelEndpointState (EndpointStateMap makes them).
        var chosen = (SubchannelEndpointState)Inner.Choose();
        // Tells the attempt being sent (if traced) where it went; a flag check when nothing listens.
        MeshActivities.RecordPick(chosen.Endpoint);
        var result = chosen.Rent();
        if (context.Request is { } request)
        {
            if (request.RequestUri is { } uri)
            {
                // What grpc-dotnet's balancer handler would rewrite the URI to, built once per method (see RequestUriCache).
                request.RequestUri = chosen.RequestUris.For(uri);
            }

            if (result.SubchannelCallTracker is CallTracker tracker)
            {
                // For the status handler further down the request's handlers (see CallStatusHandler).
                request.Options.Set(CallTracker.RequestKey, tracker);
            }
        }

        return result;
    }

    public override string ToString() => Inner.ToString()!;
}
