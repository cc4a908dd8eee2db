namespace Mesh.Balancing.Internal;

/// <summary>Fixed tuning and keys of the balancers (not worth an option).</summary>
internal static class BalancingConstants
{
    /// <summary>τ of the peak-EWMA latency: Finagle's and Linkerd's 10 s.</summary>
    public static readonly TimeSpan LatencyDecay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// H of the peak-EWMA latency, 1 s: how long an instance's estimate is believed without a fresh answer (see
    /// <see cref="PeakEwma"/>). Short enough that a low-traffic caller asks an instance again soon after one slow
    /// answer; long enough that a persistently slow instance costs its busy peers about one call a second.
    /// </summary>
    public static readonly TimeSpan LatencyStaleAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The "+ small" of the P2C cost, 1 µs: before any latency is known every cost would be 0; with it the cost is
    /// proportional to the calls in flight, i.e. least-outstanding-requests.
    /// </summary>
    public static readonly TimeSpan CostEpsilon = TimeSpan.FromTicks(10);

    /// <summary>The load-balancing config entry that carries the service name from the resolver to the balancer.</summary>
    public const string ServiceNameConfigKey = "serviceName";

    /// <summary>
    /// How long an instance whose connect was refused is skipped by the library's picker, 1 s: gRPC may still hold
    /// its subchannel as ready (a new socket per call, each refused); after it one call probes the instance again.
    /// </summary>
    public static readonly TimeSpan RefusedConnectHold = TimeSpan.FromSeconds(1);

    /// <summary>How many random pairs P2C draws before it scans for any instance that is not ejected.</summary>
    public const int PickAttempts = 3;
}
