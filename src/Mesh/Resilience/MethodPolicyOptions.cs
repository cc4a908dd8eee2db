namespace Mesh.Resilience;

/// <summary>
/// Overrides for one gRPC method or every method of a gRPC service
/// (<c>Mesh:Services:&lt;name&gt;:Policy:Methods:&lt;package.Service/Method&gt;</c> or <c>...:Methods:&lt;package.Service/*&gt;</c>).
/// Unset values fall back to the wildcard entry, then to the service-level settings.
/// </summary>
public sealed class MethodPolicyOptions
{
    /// <summary>
    /// Gets or sets the method's overall deadline, replacing <see cref="CallPolicyOptions.Timeout"/> (unary) or
    /// <see cref="CallPolicyOptions.StreamingTimeout"/> (streaming) (<c>...:Methods:&lt;key&gt;:Timeout</c>);
    /// <see cref="TimeSpan.Zero"/> means no timeout.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Gets or sets whether calling the method twice has the effect of calling it once (<c>...:Methods:&lt;key&gt;:Idempotent</c>).
    /// Idempotent methods are also retried on <see cref="RetryOptions.IdempotentStatusCodes"/> and may be hedged.
    /// </summary>
    /// <value>Unset means <see langword="false"/>: a method is assumed to have side effects.</value>
    public bool? Idempotent { get; set; }

    /// <summary>Gets the method's retry overrides (<c>...:Methods:&lt;key&gt;:Retry</c>).</summary>
    public MethodRetryOptions Retry { get; } = new();
}
