using System.Collections.Concurrent;
using Grpc.Net.Client.Balancer;

namespace Mesh.Balancing.Internal;

/// <summary>
/// The call trackers of one instance on one gRPC subchannel. When gRPC replaces the subchannel, the instance gets a
/// new pool and the old one is dropped with its trackers: a tracker only ever returns to the pool it was made for, so
/// a call completing while the instance is re-bound can never leave a tracker of the old (disposed) subchannel for
/// the next pick, whatever the interleaving. (With one pool per instance, a return that raced the re-bind could,
/// and the next call then stalled until gRPC's next picker.)
/// </summary>
internal sealed class TrackerPool
{
    private readonly EndpointState _endpoint;
    private readonly ConcurrentQueue<CallTracker> _queue = new();
    private CallTracker? _spare;

    public TrackerPool(EndpointState endpoint, Subchannel? subchannel)
    {
        _endpoint = endpoint;
        Subchannel = subchannel;
        // A null subchannel only happens in unit tests and benchmarks, which never hand results to gRPC.
        Untracked = PickResult.ForSubchannel(subchannel!);
    }

    public Subchannel? Subchannel { get; }

    /// <summary>Gets the shared result for balancers that track nothing per call.</summary>
    public PickResult Untracked { get; }

    /// <summary>Returns a tracker's result: the spare (sequential calls), else one from the queue, else a new one.</summary>
    public PickResult Rent()
    {
        if (Interlocked.Exchange(ref _spare, null) is { } spare)
        {
            return spare.Result;
        }

        return _queue.TryDequeue(out var tracker) ? tracker.Result : new CallTracker(_endpoint, this).Result;
    }

    /// <summary>Takes back a completed tracker of this pool.</summary>
    public void Return(CallTracker tracker)
    {
        if (Interlocked.CompareExchange(ref _spare, tracker, null) is not null)
        {
            _queue.Enqueue(tracker);
        }
    }
}
