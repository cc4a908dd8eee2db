using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>
/// Retry overrides for a method (<c>Mesh:Services:&lt;name&gt;:Policy:Methods:&lt;key&gt;:Retry</c>); each unset
/// value falls back to the wildcard entry, then to <see cref="CallPolicyOptions.Retry"/>.
/// </summary>
public sealed class MethodRetryOptions
{
    /// <summary>Gets or sets the most attempts, the first included (<c>...:Retry:MaxAttempts</c>, 1 to 10).</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Gets or sets the backoff ceiling after the first failure (<c>...:Retry:InitialBackoff</c>).</summary>
    public TimeSpan? InitialBackoff { get; set; }

    /// <summary>Gets or sets the largest backoff ceiling (<c>...:Retry:MaxBackoff</c>).</summary>
    public TimeSpan? MaxBackoff { get; set; }

    /// <summary>Gets or sets the statuses retried for the method (<c>...:Retry:RetriableStatusCodes</c>).</summary>
    public IList<StatusCode>? RetriableStatusCodes { get; set; }

    /// <summary>Gets or sets the statuses retried only if the method is idempotent (<c>...:Retry:IdempotentStatusCodes</c>).</summary>
    public IList<StatusCode>? IdempotentStatusCodes { get; set; }
}
