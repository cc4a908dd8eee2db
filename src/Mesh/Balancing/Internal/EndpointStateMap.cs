using System.Net;
using Grpc.Net.Client.Balancer;
using Mesh.Discovery;

namespace Mesh.Balancing.Internal;

/// <summary>
/// One balancer's <see cref="EndpointState"/> per address, kept across discovery updates and pickers (so latency,
/// calls in flight and ejection survive them). Used under gRPC's channel lock only.
/// </summary>
internal sealed class EndpointStateMap(EndpointGroup group)
{
    private readonly EndpointStateSet<DnsEndPoint, SubchannelEndpointState> _states = new(group, (endpoint, latency) => new SubchannelEndpointState(endpoint, group, latency));

    /// <summary>Follows discovery's addresses: new instances get a state, dropped ones lose theirs.</summary>
    public void Sync(IReadOnlyList<BalancerAddress> addresses) => _states.Sync(addresses, address => address.EndPoint, EndpointOf);

    /// <summary>Returns the state of a ready subchannel's address.</summary>
    /// <remarks>A subchannel the last address update did not mention (a race with a state change) is tracked anyway.</remarks>
    public SubchannelEndpointState For(BalancerAddress address) =>
        _states.TryGet(address.EndPoint, out var state) ? state : _states.Add(address.EndPoint, EndpointOf(address));

    private ServiceEndpoint EndpointOf(BalancerAddress address) =>
        address.Attributes.TryGetValue(MeshBalancerAttributes.Endpoint, out var endpoint)
            ? endpoint
            : new ServiceEndpoint(address.EndPoint.ToString(), group.ServiceName, address.EndPoint.Host, address.EndPoint.Port);
}
