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
    private readonly Dictionary<DnsEndPoint, SubchannelEndpointState> _states = [];

    /// <summary>Follows discovery's addresses: new instances get a state, dropped ones lose theirs.</summary>
    public void Sync(IReadOnlyList<BalancerAddress> addresses)
    {
        var seen = new HashSet<DnsEndPoint>();
        var now = group.Time.GetTimestamp();
        // Newcomers start at the incumbents' average latency, so P2C does not stampede onto a cold instance.
        var averageLatency = _states.Count == 0 ? 0 : _states.Values.Average(s => s.Latency.Estimate(now));
        foreach (var address in addresses)
        {
            var endpoint = EndpointOf(address);
            seen.Add(address.EndPoint);
            if (_states.TryGetValue(address.EndPoint, out var existing))
            {
                existing.Endpoint = endpoint;
            }
            else
            {
                _states.Add(address.EndPoint, new SubchannelEndpointState(endpoint, group, averageLatency));
            }
        }

        foreach (var (key, state) in _states.Where(kv => !seen.Contains(kv.Key)).ToList())
        {
            _states.Remove(key);
            group.Detector.Detach(state);
        }

        group.SetMembers([.. _states.Values]);
    }

    /// <summary>Returns the state of a ready subchannel's address.</summary>
    public SubchannelEndpointState For(BalancerAddress address)
    {
        if (!_states.TryGetValue(address.EndPoint, out var state))
        {
            // A subchannel the last address update did not mention (a race with a state change): track it anyway.
            state = new SubchannelEndpointState(EndpointOf(address), group);
            _states.Add(address.EndPoint, state);
            group.SetMembers([.. _states.Values]);
        }

        return state;
    }

    private ServiceEndpoint EndpointOf(BalancerAddress address) =>
        address.Attributes.TryGetValue(MeshBalancerAttributes.Endpoint, out var endpoint)
            ? endpoint
            : new ServiceEndpoint(address.EndPoint.ToString(), group.ServiceName, address.EndPoint.Host, address.EndPoint.Port);
}
