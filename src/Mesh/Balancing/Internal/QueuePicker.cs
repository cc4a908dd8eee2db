using Grpc.Net.Client.Balancer;

namespace Mesh.Balancing.Internal;

/// <summary>Queues every call until the next picker (gRPC's own empty picker is internal).</summary>
internal sealed class QueuePicker : SubchannelPicker
{
    public static readonly QueuePicker Instance = new();

    public override PickResult Pick(PickContext context) => PickResult.ForQueue();
}
