using System.Collections.Immutable;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Mesh.Discovery;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing.Internal;

/// <summary>
/// gRPC's subchannel management (one connection per instance, kept across updates) with Mesh's pickers, per-instance
/// state that outlives pickers, and discovery's "no healthy instances" failure applied even while connected.
/// </summary>
internal sealed class MeshBalancer : SubchannelsLoadBalancer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<DnsEndPoint, EndpointState> _states = [];
    private readonly EndpointGroup _group;
    private IReadOnlyList<Subchannel> _lastReady = [];
    private Status? _failure;
    private int _pickersCreated;

    public MeshBalancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, EndpointGroup group)
        : base(controller, loggerFactory) => _group = group;

    public override void UpdateChannelState(ChannelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        bool failureChanged;
        lock (_lock)
        {
            Status? failure = state.Status.StatusCode == StatusCode.OK ? null : state.Status;
            failureChanged = failure.HasValue != _failure.HasValue;
            _failure = failure;
            if (failure is null && state.Addresses is { } addresses)
            {
                SyncEndpoints(addresses);
            }
        }

        var pickersBefore = Volatile.Read(ref _pickersCreated);
        base.UpdateChannelState(state);
        // The base class keeps serving its ready connections on a resolver error and does nothing when the
        // addresses are unchanged; discovery is the source of truth here, so publish the failure (or the recovery).
        if (failureChanged && State == ConnectivityState.Ready && Volatile.Read(ref _pickersCreated) == pickersBefore)
        {
            var picker = CreatePicker(Volatile.Read(ref _lastReady));
            Controller.UpdateState(new BalancerState(_failure is null ? ConnectivityState.Ready : ConnectivityState.TransientFailure, picker));
        }
    }

    private void SyncEndpoints(IReadOnlyList<BalancerAddress> addresses)
    {
        var seen = new HashSet<DnsEndPoint>();
        var now = _group.Time.GetTimestamp();
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
                _states.Add(address.EndPoint, new EndpointState(endpoint, _group, averageLatency));
            }
        }

        foreach (var (key, state) in _states.Where(kv => !seen.Contains(kv.Key)).ToList())
        {
            _states.Remove(key);
            _group.Detector.Detach(state);
        }

        _group.SetMembers([.. _states.Values]);
    }

    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels)
    {
        lock (_lock)
        {
            Volatile.Write(ref _lastReady, readySubchannels);
            Interlocked.Increment(ref _pickersCreated);
            if (_failure is { } failure)
            {
                return new FailurePicker(failure);
            }

            if (readySubchannels.Count == 0)
            {
                // gRPC asks for a picker only with ready subchannels; guard the republish path all the same.
                return new FailurePicker(MeshResolver.NoHealthyInstances(_group.ServiceName));
            }

            var all = new EndpointState[readySubchannels.Count];
            for (var i = 0; i < all.Length; i++)
            {
                var subchannel = readySubchannels[i];
                var address = subchannel.CurrentAddress ?? subchannel.GetAddresses()[0];
                if (!_states.TryGetValue(address.EndPoint, out var state))
                {
                    // A subchannel the last address update did not mention (a race with a state change): track it anyway.
                    state = new EndpointState(EndpointOf(address), _group);
                    _states.Add(address.EndPoint, state);
                    _group.SetMembers([.. _states.Values]);
                }

                state.Bind(subchannel);
                all[i] = state;
            }

            var tag = _group.Options.PreferTag;
            EndpointState[] preferred = tag is null ? [] : [.. all.Where(s => s.HasTag(tag))];
            return _group.Kind == LoadBalancerKind.RoundRobin
                ? new RoundRobinPicker(all, preferred, Random.Shared.Next(all.Length))
                : new PowerOfTwoChoicesPicker(all, preferred, _group.Time);
        }
    }

    private ServiceEndpoint EndpointOf(BalancerAddress address) =>
        address.Attributes.TryGetValue(MeshBalancerAttributes.Endpoint, out var endpoint)
            ? endpoint
            : new ServiceEndpoint(address.EndPoint.ToString(), _group.ServiceName, address.EndPoint.Host, address.EndPoint.Port);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _group.Dispose();
        }
    }
}
