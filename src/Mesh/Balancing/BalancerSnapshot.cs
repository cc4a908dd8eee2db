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

    /// <summary>
    /// Gets the instances the channel sends calls to now: connected, in the picker gRPC uses. Empty while calls fail
    /// (discovery lists no instance, or none is connected yet).
    /// </summary>
    public ImmutableArray<ServiceEndpoint> Ready { get; init; } = [];

    /// <summary>Gets how many connections the channel holds or is opening for the service (one per instance).</summary>
    public int ConnectionCount { get; init; }
}
