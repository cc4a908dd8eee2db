using Mesh.Discovery;

namespace Mesh.Balancing.Internal;

/// <summary>
/// What one balancer knows about one instance: calls in flight, latency, outlier counters and ejection. Created once
/// per instance and kept across discovery updates and pickers, so nothing is allocated per call. Transport-neutral:
/// both front doors use it, the library's gRPC balancer through <see cref="SubchannelEndpointState"/> (which adds the
/// instance's subchannel and call trackers) and the sidecar's outbound door as it is; each reports calls with
/// <see cref="OnCallStarted"/>/<see cref="OnCallCompleted"/> and failed statuses with <see cref="OnStatusFailure"/>.
/// </summary>
internal class EndpointState
{
    // Timestamp until which picks skip this instance after a refused connect (both doors); 0 while it accepts.
    private long _refusedUntil;

    private ServiceEndpoint _endpoint;
    private volatile bool _ejected;
    private int _pendingStatusFailures;

    /// <summary>Calls started and not yet answered; a field so trackers can update it with <see cref="Interlocked"/>.</summary>
    internal int Outstanding;

    public EndpointState(ServiceEndpoint endpoint, EndpointGroup group, double initialLatency = 0)
    {
        _endpoint = endpoint;
        Group = group;
        var now = group.Time.GetTimestamp();
        Latency = new PeakEwma(BalancingConstants.LatencyDecay, BalancingConstants.LatencyStaleAfter, group.Time.TimestampFrequency, now, initialLatency);
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

    public bool HasTag(string tag) => Endpoint.Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>Finagle's load metric: (latency + ε) × (calls in flight + 1); lower is better.</summary>
    public double Cost(long now) => (Latency.CostEstimate(now) + Group.CostEpsilon) * (Volatile.Read(ref Outstanding) + 1);

    /// <summary>A call was sent here (gRPC starts the tracker once the request is on its way).</summary>
    public void OnCallStarted(long now)
    {
        Interlocked.Increment(ref Outstanding);
        Latency.OnCallStarted(now);
    }

    /// <summary>A call sent at <paramref name="started"/> ended: a transport <paramref name="error"/>, or none (its status, if a failure, came through <see cref="OnStatusFailure"/>).</summary>
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

    /// <summary>
    /// The instance did not answer before the call's deadline (seen by the status handler): a failure when
    /// <c>DeadlineExceeded</c> is one of the failure statuses. The call then completes as a cancellation, which the
    /// tracker counts neither way, so nothing is left pending.
    /// </summary>
    public void OnDeadlineExceeded()
    {
        var detector = Group.Detector;
        if (detector.Enabled && detector.IsFailureStatus(Grpc.Core.StatusCode.DeadlineExceeded))
        {
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
