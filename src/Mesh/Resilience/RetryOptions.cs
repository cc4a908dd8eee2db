using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>How failed attempts are retried (<c>Mesh:Services:&lt;name&gt;:Policy:Retry</c>).</summary>
/// <remarks>
/// Each attempt is a new call on the channel, so it gets a fresh load-balancer pick. The delay before retry n is
/// random in [0, min(<see cref="MaxBackoff"/>, <see cref="InitialBackoff"/> × 2^(n-1))] ("full jitter"), or exactly the
/// server's <c>grpc-retry-pushback-ms</c> when it sends one; a negative or malformed pushback stops retrying.
/// No retry starts past the call's deadline or beyond the service's retry budget.
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>
    /// Gets or sets the most attempts per call, the first included; 1 turns retries off
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:Retry:MaxAttempts</c>, 1 to 10).
    /// </summary>
    /// <value>Defaults to 3.</value>
    public int MaxAttempts { get; set; } = CallPolicyDefaults.MaxAttempts;

    /// <summary>
    /// Gets or sets the backoff ceiling after the first failure (<c>Mesh:Services:&lt;name&gt;:Policy:Retry:InitialBackoff</c>).
    /// </summary>
    /// <value>Defaults to 50 ms.</value>
    public TimeSpan InitialBackoff { get; set; } = CallPolicyDefaults.InitialBackoff;

    /// <summary>
    /// Gets or sets the largest backoff ceiling (<c>Mesh:Services:&lt;name&gt;:Policy:Retry:MaxBackoff</c>).
    /// </summary>
    /// <value>Defaults to 1 s.</value>
    public TimeSpan MaxBackoff { get; set; } = CallPolicyDefaults.MaxBackoff;

    /// <summary>
    /// Gets or sets the statuses retried for every method (<c>Mesh:Services:&lt;name&gt;:Policy:Retry:RetriableStatusCodes</c>).
    /// </summary>
    /// <value>
    /// <see langword="null"/> means the default, <see cref="CallPolicyDefaults.RetriableStatusCodes"/>
    /// (<see cref="StatusCode.Unavailable"/>). A configured list replaces the default rather than adding to it.
    /// </value>
    public IList<StatusCode>? RetriableStatusCodes { get; set; }

    /// <summary>
    /// Gets or sets the statuses retried in addition, only for methods marked idempotent
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:Retry:IdempotentStatusCodes</c>).
    /// </summary>
    /// <value>
    /// <see langword="null"/> means the default, <see cref="CallPolicyDefaults.IdempotentStatusCodes"/>
    /// (DeadlineExceeded, Aborted, Internal). A configured list replaces the default.
    /// </value>
    public IList<StatusCode>? IdempotentStatusCodes { get; set; }
}
