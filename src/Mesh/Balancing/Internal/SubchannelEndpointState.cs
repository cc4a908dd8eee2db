using Grpc.Net.Client.Balancer;
using Mesh.Discovery;

namespace Mesh.Balancing.Internal;

/// <summary>
/// The library door's view of an instance: the transport-neutral <see cref="EndpointState"/> plus the gRPC subchannel
/// grpc-dotnet keeps for it and the pooled call trackers that hand picks to gRPC without allocating.
/// </summary>
internal sealed class SubchannelEndpointState : EndpointState
{
    // Replaced whole when gRPC gives the instance another subchannel; one reference, so readers see one or the other.
    private TrackerPool? _pool;

    // Timestamp until which picks skip this instance after a refused connect; 0 while it accepts.
    private long _refusedUntil;

    public SubchannelEndpointState(ServiceEndpoint endpoint, EndpointGroup group, double initialLatency = 0)
        : base(endpoint, group, initialLatency) => RequestUris = new RequestUriCache(endpoint.Host, endpoint.Port);

    /// <summary>Gets the request URIs of calls sent here (see <see cref="RequestUriCache"/>).</summary>
    public RequestUriCache RequestUris { get; }

    public Subchannel? Subchannel => Volatile.Read(ref _pool)?.Subchannel;

    /// <summary>Ties this state to the subchannel gRPC keeps for the instance (once, or again if gRPC replaced it).</summary>
    public void Bind(Subchannel? subchannel)
    {
        if (Volatile.Read(ref _pool) is { } current && ReferenceEquals(current.Subchannel, subchannel))
        {
            return;
        }

        Volatile.Write(ref _pool, new TrackerPool(this, subchannel));
        Volatile.Write(ref _refusedUntil, 0);
    }

    /// <summary>Returns the result that sends a call here: pooled and tracked, or shared when nothing needs tracking.</summary>
    public PickResult Rent()
    {
        var pool = Volatile.Read(ref _pool)!;
        return Group.TracksCalls ? pool.Rent() : pool.Untracked;
    }

    /// <summary>A connect to the instance was refused: skip it for <see cref="BalancingConstants.RefusedConnectHold"/>.</summary>
    public void OnConnectRefused() =>
        Volatile.Write(ref _refusedUntil, Group.Time.GetTimestamp() + (long)(BalancingConstants.RefusedConnectHold.TotalSeconds * Group.Time.TimestampFrequency));

    /// <summary>A call to the instance was answered: it accepts connections again.</summary>
    public void OnAnswered()
    {
        if (Volatile.Read(ref _refusedUntil) != 0)
        {
            Volatile.Write(ref _refusedUntil, 0);
        }
    }

    /// <summary>
    /// Whether a pick may send a call here: yes unless a connect was refused within the hold; once the hold is over,
    /// one caller wins the probe (compare-exchange) and the others keep skipping it for another hold.
    /// </summary>
    public bool TryAdmit()
    {
        var until = Volatile.Read(ref _refusedUntil);
        if (until == 0)
        {
            return true;
        }

        var now = Group.Time.GetTimestamp();
        if (now < until)
        {
            return false;
        }

        var next = now + (long)(BalancingConstants.RefusedConnectHold.TotalSeconds * Group.Time.TimestampFrequency);
        return Interlocked.CompareExchange(ref _refusedUntil, next, until) == until;
    }
}
