using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>
/// Default values of <see cref="CallPolicyOptions"/>: what a service gets when <c>Mesh:Services:&lt;name&gt;:Policy</c>
/// is not configured. They favour not hanging and not multiplying load over squeezing out the last success.
/// </summary>
public static class CallPolicyDefaults
{
    /// <summary>
    /// The default <see cref="CallPolicyOptions.Timeout"/>: none (<see cref="TimeSpan.Zero"/>). A deadline is a
    /// promise about the service's latency that only its owner can make; until one is configured,
    /// <see cref="FallbackTimeout"/> keeps calls from hanging.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.Zero;

    /// <summary>
    /// The default <see cref="CallPolicyOptions.FallbackTimeout"/>: 30 s. A call that nobody bounds can hang forever on
    /// a stuck instance, and a call that never ends teaches neither the retries nor the breaker anything; 30 s is far
    /// above any sane unary call, so it only cuts what is already broken.
    /// </summary>
    public static readonly TimeSpan FallbackTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The default <see cref="CallPolicyOptions.StreamingTimeout"/>: none (<see cref="TimeSpan.Zero"/>), because
    /// watch- and subscription-style streams legitimately live for hours.
    /// </summary>
    public static readonly TimeSpan StreamingTimeout = TimeSpan.Zero;

    /// <summary>The default <see cref="RetryOptions.MaxAttempts"/>: 3, the first attempt included.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The largest allowed <see cref="RetryOptions.MaxAttempts"/> and <see cref="HedgingOptions.MaxAttempts"/>: 10.</summary>
    public const int MaxAttemptsLimit = 10;

    /// <summary>The default <see cref="RetryOptions.InitialBackoff"/>: 50 ms.</summary>
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(50);

    /// <summary>The default <see cref="RetryOptions.MaxBackoff"/>: 1 s.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The default <see cref="RetryOptions.RetriableStatusCodes"/>: <see cref="StatusCode.Unavailable"/> only, the
    /// one status gRPC defines as "transient, safe to retry" whatever the method does.
    /// </summary>
    public static IReadOnlyList<StatusCode> RetriableStatusCodes { get; } = [StatusCode.Unavailable];

    /// <summary>
    /// The default <see cref="RetryOptions.IdempotentStatusCodes"/>: <see cref="StatusCode.DeadlineExceeded"/> (a
    /// server's own downstream timed out; retried only while our deadline leaves time), <see cref="StatusCode.Aborted"/>
    /// (a conflict that a fresh attempt resolves) and <see cref="StatusCode.Internal"/> (often a broken connection or
    /// a sick instance). They may mean the request was applied, so only idempotent methods retry them.
    /// </summary>
    public static IReadOnlyList<StatusCode> IdempotentStatusCodes { get; } =
        [StatusCode.DeadlineExceeded, StatusCode.Aborted, StatusCode.Internal];

    /// <summary>The default <see cref="RetryBudgetOptions.RetryRatio"/>: 0.2 (retries add at most 20% load).</summary>
    public const double RetryRatio = 0.2;

    /// <summary>The default <see cref="RetryBudgetOptions.MinRetriesPerSecond"/>: 10, so a quiet client can still retry.</summary>
    public const int MinRetriesPerSecond = 10;

    /// <summary>The default <see cref="RetryBudgetOptions.Ttl"/>: 10 s, how long a request or retry counts.</summary>
    public static readonly TimeSpan BudgetTtl = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="HedgingOptions.MaxAttempts"/>: 2, the first attempt included.</summary>
    public const int HedgingMaxAttempts = 2;

    /// <summary>The default <see cref="HedgingOptions.Delay"/>: 100 ms; set it near the method's p95 latency.</summary>
    public static readonly TimeSpan HedgingDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="CircuitBreakerOptions.FailureRatio"/>: 0.5.</summary>
    public const double FailureRatio = 0.5;

    /// <summary>The default <see cref="CircuitBreakerOptions.SamplingDuration"/>: 10 s.</summary>
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="CircuitBreakerOptions.MinimumThroughput"/>: 20 attempts in the sampling window.</summary>
    public const int MinimumThroughput = 20;

    /// <summary>
    /// The default <see cref="CircuitBreakerOptions.BreakDuration"/>: 5 s. The breaker covers a whole service, so a
    /// long break turns a blip into an outage; half-open probes re-open it at once if the service is still down.
    /// </summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The default <see cref="CircuitBreakerOptions.FailureStatusCodes"/>: <see cref="StatusCode.Unavailable"/>,
    /// <see cref="StatusCode.DeadlineExceeded"/>, <see cref="StatusCode.Internal"/> and <see cref="StatusCode.Unknown"/>
    /// (what gRPC servers answer for unhandled exceptions): the gRPC twins of the 5xx/timeout family that HTTP
    /// breakers count. <see cref="StatusCode.ResourceExhausted"/> is left out: it is usually a per-caller quota or a
    /// message-size limit, which says nothing about the service's health.
    /// </summary>
    public static IReadOnlyList<StatusCode> FailureStatusCodes { get; } =
        [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Unknown];
}
