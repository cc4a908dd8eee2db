using System.Collections.Concurrent;
using Grpc.Net.Client.Balancer;
using Mesh.Discovery;

namespace Mesh.Balancing.Internal;

/// <summary>
/// What one balancer knows about one instance: calls in flight, latency, outlier counters and ejection. Created once
/// per instance and kept across discovery updates and pickers, so nothing is allocated per call.
/// </summary>
internal sealed class EndpointState
{
    private ServiceEndpoint _endpoint;
    private Subchannel? _subchannel;
    private ConcurrentQueue<CallTracker> _pool = new();
    private CallTracker? _spare;
    private PickResult? _untracked;
    private volatile bool _ejected;
    private int _pendingStatusFailures;

    /// <summary>Calls started and not yet answered; a field so trackers can update it with <see cref="Interlocked"/>.</summary>
    internal int Outstanding;

    public EndpointState(ServiceEndpoint endpoint, EndpointGroup group, double initialLatency = 0)
    {
        _endpoint = endpoint;
        Group = group;
        var now = group.Time.GetTimestamp();
        Latency = new PeakEwma(BalancingConstants.LatencyDecay, group.Time.TimestampFrequency, now, initialLatency);
        Outlier = new OutlierState(group.Options.OutlierDetection.FailureRateInterval, group.Time.TimestampFrequency);
    }

    public EndpointGroup Group { get; }

    public ServiceEndpoint Endpoint
    {
        get => Volatile.Read(ref _endpoint);
        set => Volatile.Write(ref _endpoint, value);
    }

    public PeakEwma Latency { get; }

    public OutlierState Outlier { get; }

    public bool IsEjected
    {
        get => _ejected;
        set => _ejected = value;
    }

    /// <summary>Gets or sets whether discovery dropped the instance (set under the detector's lock).</summary>
    public bool IsDetached { get; set; }

    public Subchannel? Subchannel => Volatile.Read(ref _subchannel);

    public bool HasTag(string tag) => Endpoint.Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>Finagle's load metric: (latency + ε) × (calls in flight + 1); lower is better.</summary>
    public double Cost(long now) => (Latency.Estimate(now) + Group.CostEpsilon) * (Volatile.Read(ref Outstanding) + 1);

    /// <summary>Ties this state to the subchannel gRPC keeps for the instance (once, or again if gRPC replaced it).</summary>
    public void Bind(Subchannel? subchannel)
    {
        if (_untracked is not null && ReferenceEquals(Volatile.Read(ref _subchannel), subchannel))
        {
            return;
        }

        Volatile.Write(ref _subchannel, subchannel);
        Volatile.Write(ref _pool, new ConcurrentQueue<CallTracker>());
        Volatile.Write(ref _spare, null);
        Volatile.Write(ref _untracked, PickResult.ForSubchannel(subchannel!));
        subchannel?.Attributes.Set(BalancingConstants.EndpointStateKey, this);
    }

    /// <summary>Returns the result that sends a call here: pooled and tracked, or shared when nothing needs tracking.</summary>
    public PickResult Rent()
    {
        if (!Group.TracksCalls)
        {
            return _untracked!;
        }

        // One spare in a field serves sequential calls with a single exchange; the queue holds the rest of the pool.
        if (Interlocked.Exchange(ref _spare, null) is { } spare)
        {
            return spare.Result;
        }

        var pool = Volatile.Read(ref _pool);
        return pool.TryDequeue(out var tracker) ? tracker.Result : new CallTracker(this, Subchannel, pool).Result;
    }

    /// <summary>Takes back a completed tracker, unless it belongs to an earlier subchannel.</summary>
    public void Return(CallTracker tracker, ConcurrentQueue<CallTracker> pool)
    {
        if (!ReferenceEquals(pool, Volatile.Read(ref _pool)))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _spare, tracker, null) is not null)
        {
            pool.Enqueue(tracker);
        }
    }

    public void OnCallCompleted(long started, Exception? error)
    {
        var now = Group.Time.GetTimestamp();
        Interlocked.Decrement(ref Outstanding);
        Latency.Observe(now - started, now);
        var detector = Group.Detector;
        if (!detector.Enabled)
        {
            return;
        }

        if (error is null)
        {
            // The status handler already counted this call (or a concurrent one on this instance) as a failure.
            if (!TryConsumePendingStatusFailure())
            {
                OutlierDetector.OnSuccess(this, now);
            }
        }
        else if (error is not OperationCanceledException)
        {
            // Refused, reset or broken connections. A cancellation (the caller's, or its deadline) says nothing
            // about the instance, so it counts neither way.
            detector.OnFailure(this, now);
        }
    }

    /// <summary>The instance answered with a failure status (seen by the status handler before the call completes).</summary>
    public void OnStatusFailure()
    {
        var detector = Group.Detector;
        if (detector.Enabled)
        {
            Interlocked.Increment(ref _pendingStatusFailures);
            detector.OnFailure(this, Group.Time.GetTimestamp());
        }
    }

    private bool TryConsumePendingStatusFailure()
    {
        while (true)
        {
            var pending = Volatile.Read(ref _pendingStatusFailures);
            if (pending == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _pendingStatusFailures, pending - 1, pending) == pending)
            {
                return true;
            }
        }
    }

    public override string ToString() => Endpoint.ToString();
}
