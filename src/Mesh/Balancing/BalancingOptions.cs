namespace Mesh.Balancing;

/// <summary>How calls to one service are spread over its instances (<c>Mesh:Services:&lt;name&gt;:Balancing</c>).</summary>
public sealed class BalancingOptions
{
    /// <summary>
    /// Gets or sets the load balancer (<c>Mesh:Services:&lt;name&gt;:Balancing:LoadBalancer</c>:
    /// <c>PowerOfTwoChoices</c> or <c>RoundRobin</c>).
    /// </summary>
    /// <value>
    /// Defaults to <see cref="LoadBalancerKind.PowerOfTwoChoices"/>: it needs no tuning and steers calls away from an
    /// instance that is slow or saturated (a GC pause, a noisy neighbour) long before outlier ejection would react,
    /// while spreading evenly over equal instances. Round robin keeps sending a slow instance its full share.
    /// </value>
    public LoadBalancerKind LoadBalancer { get; set; } = BalancingDefaults.LoadBalancer;

    /// <summary>
    /// Gets or sets a tag (such as the caller's zone, <c>zone-a</c>) to prefer: when some ready, non-ejected instances
    /// carry it, calls go only to them; otherwise to every instance (<c>Mesh:Services:&lt;name&gt;:Balancing:PreferTag</c>).
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: no preference.</value>
    public string? PreferTag { get; set; }

    /// <summary>
    /// Gets or sets how long a new channel waits for discovery's first answer before its calls fail with
    /// <c>Unavailable</c> "no healthy instances of '&lt;name&gt;'" instead of waiting
    /// (<c>Mesh:Services:&lt;name&gt;:Balancing:ResolveTimeout</c>).
    /// </summary>
    /// <value>Defaults to 5 s.</value>
    public TimeSpan ResolveTimeout { get; set; } = BalancingDefaults.ResolveTimeout;

    /// <summary>
    /// Gets or sets how long a connection to one instance may take to open before it counts as failed and another
    /// instance is tried (<c>Mesh:Services:&lt;name&gt;:Balancing:ConnectTimeout</c>): the channel's
    /// <see cref="System.Net.Http.SocketsHttpHandler.ConnectTimeout"/>, which grpc-dotnet also applies to its
    /// subchannels' connects, and the sidecar's for its upstream connections. Without it a connect to a host that drops
    /// SYNs waits for the kernel's retries (about 2 min on Linux).
    /// </summary>
    /// <value>Defaults to 5 s.</value>
    public TimeSpan ConnectTimeout { get; set; } = BalancingDefaults.ConnectTimeout;

    /// <summary>Gets per-instance outlier ejection (<c>Mesh:Services:&lt;name&gt;:Balancing:OutlierDetection</c>).</summary>
    public OutlierDetectionOptions OutlierDetection { get; } = new();
}
