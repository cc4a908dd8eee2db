using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// The library door's picker: grpc-dotnet's <see cref="SubchannelPicker"/> over the transport-neutral
/// <see cref="EndpointPicker"/>. It tells tracing where the attempt went and rents the chosen instance's call tracker.
/// </summary>
internal sealed class MeshPicker(EndpointPicker inner) : SubchannelPicker
{
    private PickResult? _unreachable;

    /// <summary>Gets the choice this picker hands to gRPC.</summary>
    internal EndpointPicker Inner { get; } = inner;

    /// <summary>Gets the ready instances this picker chooses among.</summary>
    internal EndpointState[] All => Inner.All;

    public override PickResult Pick(PickContext context)
    {
        // Every state of a library balancer is a SubchannelEndpointState (EndpointStateMap makes them).
        var chosen = (SubchannelEndpointState)Inner.Choose();
        if (!chosen.TryAdmit() && !TryAnother(ref chosen))
        {
            return _unreachable ??= PickResult.ForFailure(NoReachableInstances(chosen.Group.ServiceName));
        }

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

    /// <summary>
    /// The status when every instance discovery lists refuses its connections, while gRPC may still hold them as ready
    /// (it then opens a socket per call and fails it with its raw "Connection refused").
    /// </summary>
    internal static Status NoReachableInstances(string serviceName, string? reason = null) =>
        new(StatusCode.Unavailable, reason is null
            ? $"no reachable instances of '{serviceName}': every instance refused its connection"
            : $"no reachable instances of '{serviceName}': {reason}");

    // Rare: only while the chosen instance refuses. Any other that admits the call will do (its connect was not refused).
    private bool TryAnother(ref SubchannelEndpointState chosen)
    {
        // Asks the inner picker again first, so round robin keeps its rotation over the others (and P2C its costs).
        var all = All;
        for (var i = 0; i < all.Length; i++)
        {
            var state = (SubchannelEndpointState)Inner.Choose();
            if (!ReferenceEquals(state, chosen) && state.TryAdmit())
            {
                chosen = state;
                return true;
            }
        }

        foreach (SubchannelEndpointState state in all)
        {
            if (!ReferenceEquals(state, chosen) && state.TryAdmit())
            {
                chosen = state;
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Inner.ToString()!;
}
