using System.Collections.Immutable;
using Mesh.Discovery;

namespace Mesh.Balancing;

/// <summary>A diagnostic view of one channel's balancer for one service.</summary>
/// <param name="ServiceName">The service.</param>
/// <param name="Policy">The load-balancing policy name, such as <c>mesh_p2c</c>.</param>
/// <param name="EndpointCount">The instances discovery reported.</param>
/// <param name="Ejected">The instances ejected now.</param>
public sealed record BalancerSnapshot(string ServiceName, string Policy, int EndpointCount, ImmutableArray<ServiceEndpoint> Ejected)
{
    /// <summary>Gets how many instances are ejected now.</summary>
    public int EjectedCount => Ejected.Length;
}
