namespace Mesh.Resilience;

/// <summary>
/// How calls to one service are bounded, retried, hedged and broken (<c>Mesh:Services:&lt;name&gt;:Policy</c>).
/// The defaults (<see cref="CallPolicyDefaults"/>) are safe for a service nobody configured.
/// </summary>
public sealed class CallPolicyOptions
{
    /// <summary>
    /// Gets or sets the deadline of a unary call, across every attempt and backoff
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:Timeout</c>). It is a gRPC deadline: sent to the server
    /// (<c>grpc-timeout</c>), which cancels its work when it passes, and inherited by the calls the server makes while
    /// handling this one. A caller's own deadline, or that of the incoming call being handled, wins when it is earlier.
    /// <see cref="TimeSpan.Zero"/> means none: <see cref="FallbackTimeout"/> then bounds the call.
    /// </summary>
    /// <value>Defaults to none.</value>
    public TimeSpan Timeout { get; set; } = CallPolicyDefaults.Timeout;

    /// <summary>
    /// Gets or sets how long a unary call may run, across every attempt and backoff, when nothing gives it a deadline:
    /// no <see cref="Timeout"/>, no caller deadline, no incoming call's deadline
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:FallbackTimeout</c>). Past it the call is cancelled and fails with
    /// <see cref="Grpc.Core.StatusCode.DeadlineExceeded"/>. Unlike a deadline it is enforced on the client only (the
    /// server sees the cancellation when it happens) and coarsely, up to 1/32 of itself (at most 1 s) late, which lets
    /// calls share timers: it costs no timer per call. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    /// <value>Defaults to 30 s.</value>
    public TimeSpan FallbackTimeout { get; set; } = CallPolicyDefaults.FallbackTimeout;

    /// <summary>
    /// Gets or sets the overall deadline of a streaming call, from start to the end of the stream
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:StreamingTimeout</c>). <see cref="TimeSpan.Zero"/> means no timeout.
    /// </summary>
    /// <value>Defaults to <see cref="TimeSpan.Zero"/>: streams are bounded only by the caller.</value>
    public TimeSpan StreamingTimeout { get; set; } = CallPolicyDefaults.StreamingTimeout;

    /// <summary>Gets how failed attempts are retried (<c>Mesh:Services:&lt;name&gt;:Policy:Retry</c>).</summary>
    public RetryOptions Retry { get; } = new();

    /// <summary>
    /// Gets the retry budget shared by every call to the service (<c>Mesh:Services:&lt;name&gt;:Policy:Budget</c>).
    /// </summary>
    public RetryBudgetOptions Budget { get; } = new();

    /// <summary>Gets how idempotent calls are hedged (<c>Mesh:Services:&lt;name&gt;:Policy:Hedging</c>).</summary>
    public HedgingOptions Hedging { get; } = new();

    /// <summary>Gets the service's circuit breaker (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker</c>).</summary>
    public CircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>
    /// Gets per-method overrides keyed by <c>package.Service/Method</c>, or <c>package.Service/*</c> for every method
    /// of a gRPC service (<c>Mesh:Services:&lt;name&gt;:Policy:Methods:&lt;key&gt;</c>). An exact key wins over a
    /// wildcard, which wins over the service-level settings.
    /// </summary>
    public Dictionary<string, MethodPolicyOptions> Methods { get; } = new(StringComparer.Ordinal);
}
