using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>
/// The circuit breaker of one service (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker</c>). It counts attempts
/// over a sliding <see cref="SamplingDuration"/>; when at least <see cref="MinimumThroughput"/> attempts were made and
/// at least <see cref="FailureRatio"/> of them failed, it opens: calls fail at once with
/// <c>RpcException(Unavailable, "circuit open for '&lt;name&gt;'")</c> without touching the network. After
/// <see cref="BreakDuration"/> it lets one probe through (half-open): a success closes it, a failure opens it again.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>
    /// Gets or sets whether the breaker is used (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker:Enabled</c>).
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the share of failed attempts that opens the breaker
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker:FailureRatio</c>, greater than 0, at most 1).
    /// </summary>
    /// <value>Defaults to 0.5.</value>
    public double FailureRatio { get; set; } = CallPolicyDefaults.FailureRatio;

    /// <summary>
    /// Gets or sets the sliding window the ratio is taken over
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker:SamplingDuration</c>, at least 500 ms).
    /// </summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan SamplingDuration { get; set; } = CallPolicyDefaults.SamplingDuration;

    /// <summary>
    /// Gets or sets the fewest attempts in the window before the breaker may open
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker:MinimumThroughput</c>, at least 2).
    /// </summary>
    /// <value>Defaults to 20.</value>
    public int MinimumThroughput { get; set; } = CallPolicyDefaults.MinimumThroughput;

    /// <summary>
    /// Gets or sets how long the breaker stays open before a probe is let through
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker:BreakDuration</c>, at least 500 ms).
    /// </summary>
    /// <value>Defaults to 5 s.</value>
    public TimeSpan BreakDuration { get; set; } = CallPolicyDefaults.BreakDuration;

    /// <summary>
    /// Gets or sets the statuses that count as failures
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:CircuitBreaker:FailureStatusCodes</c>). Any other status, even an error
    /// such as <see cref="StatusCode.NotFound"/>, proves the service answered and counts as a success;
    /// <see cref="StatusCode.Cancelled"/> is never counted.
    /// </summary>
    /// <value>
    /// <see langword="null"/> means the default, <see cref="CallPolicyDefaults.FailureStatusCodes"/> (Unavailable,
    /// DeadlineExceeded, Internal, Unknown). A configured list replaces the default.
    /// </value>
    public IList<StatusCode>? FailureStatusCodes { get; set; }
}
