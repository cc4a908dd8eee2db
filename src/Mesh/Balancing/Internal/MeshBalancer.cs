using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing.Internal;

/// <summary>
/// gRPC's subchannel management (one connection per instance, kept across updates) with Mesh's pickers, per-instance
/// state that outlives pickers, and discovery as the source of truth: while it lists no instance, calls fail with
/// "no healthy instances" even while connections are up, and a connection that drops is not opened again.
/// </summary>
/// <remarks>gRPC calls every member under its channel lock, and so do the subchannel callbacks.</remarks>
internal sealed class MeshBalancer : SubchannelsLoadBalancer
{
    private readonly EndpointStateMap _states;
    private readonly Dictionary<Subchannel, ConnectivityState> _subchannels = [];
    private readonly IChannelControlHelper _channel;
    private readonly EndpointGroup _group;
    private IReadOnlyList<Subchannel> _lastReady = [];
    private FailurePicker? _failure;
    private int _published;

    public MeshBalancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, EndpointGroup group)
        : this(new BalancerGate(controller), loggerFactory, group)
    {
    }

    private MeshBalancer(BalancerGate gate, ILoggerFactory loggerFactory, EndpointGroup group)
        : base(gate, loggerFactory)
    {
        _channel = gate.Channel;
        _group = group;
        _states = new EndpointStateMap(group);
        gate.Attach(this);
    }

    public override void UpdateChannelState(ChannelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var failed = state.Status.StatusCode != StatusCode.OK;
        var failureChanged = failed != (_failure is not null);
        _failure = failed ? new FailurePicker(state.Status) : null;
        if (!failed && state.Addresses is { } addresses)
        {
            _states.Sync(addresses);
        }

        if (failed && State == ConnectivityState.Ready && _subchannels.Values.Any(s => s != ConnectivityState.Ready))
        {
            // Connections are kept while discovery lists none (a quick return reuses them) only while all stay up. One
            // dropped: release them all, since the base class ignores resolver errors while any is ready and would
            // reconnect the dropped one. With none ready, the base class clears its list on the error below.
            foreach (var subchannel in _subchannels.Keys.ToList())
            {
                subchannel.Dispose();
            }
        }

        var published = _published;
        // A resolver error with no ready connection makes the base class drop its subchannels; addresses it already
        // has change nothing, so it publishes nothing.
        base.UpdateChannelState(state);
        if (failureChanged && _published == published)
        {
            // Discovery is the source of truth: publish its failure, or its recovery over the connections that are up
            // (still connecting: calls wait for the picker the base class publishes when a connection is ready).
            Publish(failed ? new BalancerState(ConnectivityState.TransientFailure, _failure!)
                : State == ConnectivityState.Ready ? new BalancerState(ConnectivityState.Ready, CreatePicker(_lastReady))
                : new BalancerState(ConnectivityState.Connecting, QueuePicker.Instance), fromBase: false);
        }
    }

    /// <summary>Publishes a state to the channel: discovery's failure while it lists no instance, else <paramref name="state"/>.</summary>
    internal void Publish(BalancerState state, bool fromBase)
    {
        if (fromBase && state.ConnectivityState != ConnectivityState.Ready)
        {
            _lastReady = [];
        }

        if (fromBase && _failure is null && state.ConnectivityState == ConnectivityState.TransientFailure)
        {
            // Every listed instance failed its connect: gRPC's picker says "Error connecting to subchannel."; name the
            // service, as discovery's "no healthy instances" does, keeping gRPC's reason and exception.
            var status = state.Picker.Pick(new PickContext()).Status;
            state = new BalancerState(ConnectivityState.TransientFailure, new FailurePicker(
                new Status(StatusCode.Unavailable, MeshPicker.NoReachableInstances(_group.ServiceName, status.Detail).Detail, status.DebugException)));
        }

        _published++;
        var effective = _failure is { } failure ? new BalancerState(ConnectivityState.TransientFailure, failure) : state;
        _group.SetReady(effective.ConnectivityState == ConnectivityState.Ready && effective.Picker is MeshPicker picker ? picker.All : []);
        _channel.UpdateState(effective);
    }

    /// <summary>Follows a subchannel the base class created, to know which connections are up.</summary>
    internal void Track(Subchannel subchannel)
    {
        _subchannels[subchannel] = ConnectivityState.Idle;
        _group.SetConnectionCount(_subchannels.Count);
        // Registered before the base class's own callback, so it runs first; it only records.
        subchannel.OnStateChanged(s =>
        {
            if (s.State == ConnectivityState.Shutdown)
            {
                _subchannels.Remove(subchannel);
                _group.SetConnectionCount(_subchannels.Count);
            }
            else if (_subchannels.ContainsKey(subchannel))
            {
                _subchannels[subchannel] = s.State;
            }
        });
    }

    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels)
    {
        _lastReady = readySubchannels;
        if (readySubchannels.Count == 0)
        {
            // gRPC asks for a picker only with ready subchannels; guard the republish path all the same.
            return new FailurePicker(MeshResolver.NoHealthyInstances(_group.ServiceName));
        }

        var all = new EndpointState[readySubchannels.Count];
        for (var i = 0; i < all.Length; i++)
        {
            var subchannel = readySubchannels[i];
            var state = _states.For(subchannel.CurrentAddress ?? subchannel.GetAddresses()[0]);
            state.Bind(subchannel);
            all[i] = state;
        }

        return new MeshPicker(EndpointPicker.Create(_group.Kind, all, _group.Options.PreferTag, _group.Time));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _group.Dispose();
        }
    }
}
