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
        OnAnswered(); // a new connection: whatever was refused before is forgotten
    }

    /// <summary>Returns the result that sends a call here: pooled and tracked, or shared when nothing needs tracking.</summary>
    public PickResult Rent()
    {
        var pool = Volatile.Read(ref _pool)!;
        return Group.TracksCalls ? pool.Rent() : pool.Untracked;
    }
}
