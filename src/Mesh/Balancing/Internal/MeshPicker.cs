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
        return chosen.Rent();
    }

    public override string ToString() => Inner.ToString()!;
}
