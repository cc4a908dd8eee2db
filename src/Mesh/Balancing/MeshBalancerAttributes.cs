using Grpc.Net.Client.Balancer;
using Mesh.Discovery;

namespace Mesh.Balancing;

/// <summary>Keys of what Mesh attaches to gRPC's balancer addresses.</summary>
public static class MeshBalancerAttributes
{
    /// <summary>
    /// The <see cref="ServiceEndpoint"/> behind a <see cref="BalancerAddress"/> (id, tags, zone, metadata), set by
    /// Mesh's resolver on every address it reports.
    /// </summary>
    public static readonly BalancerAttributesKey<ServiceEndpoint> Endpoint = new("Mesh.ServiceEndpoint");
}
