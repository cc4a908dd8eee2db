using Grpc.Net.Client.Balancer;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Follows one call on one instance: its start time (for latency) and its outcome (for ejection). Trackers are
/// pooled per instance and subchannel (<see cref="TrackerPool"/>) and each carries its own pre-built
/// <see cref="PickResult"/>, so a pick allocates nothing once the pool has warmed up to the instance's peak concurrency.
/// </summary>
internal sealed class CallTracker : ISubchannelCallTracker
{
    private readonly EndpointState _endpoint;
    private readonly TrackerPool _pool;
    private long _started;

    public CallTracker(EndpointState endpoint, TrackerPool pool)
    {
        _endpoint = endpoint;
        _pool = pool;
        Result = PickResult.ForSubchannel(pool.Subchannel!, this);
    }

    /// <summary>Gets the pick result that hands this tracker to gRPC along with the instance's subchannel.</summary>
    public PickResult Result { get; }

    public void Start()
    {
        _started = _endpoint.Group.Time.GetTimestamp();
        _endpoint.OnCallStarted(_started);
    }

    public void Complete(CompletionContext context)
    {
        _endpoint.OnCallCompleted(_started, context?.Error);
        // gRPC calls Complete once per Start, after which it drops the tracker: safe to reuse now. A pick that gRPC
        // discarded (subchannel no longer ready) never comes back here; the pool simply makes another later.
        _pool.Return(this);
    }
}
