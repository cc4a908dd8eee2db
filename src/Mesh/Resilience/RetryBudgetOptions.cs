namespace Mesh.Resilience;

/// <summary>
/// The retry budget shared by every call to one service (<c>Mesh:Services:&lt;name&gt;:Policy:Budget</c>), in the
/// style of Finagle and Linkerd: over the last <see cref="Ttl"/>, retries (and hedged attempts) may number at most
/// <see cref="RetryRatio"/> × requests + <see cref="MinRetriesPerSecond"/> × <see cref="Ttl"/>. During an outage
/// retries therefore add a bounded share of load instead of multiplying it by the attempt count.
/// </summary>
public sealed class RetryBudgetOptions
{
    /// <summary>
    /// Gets or sets the retries allowed per request (<c>Mesh:Services:&lt;name&gt;:Policy:Budget:RetryRatio</c>, 0 to 1).
    /// </summary>
    /// <value>Defaults to 0.2.</value>
    public double RetryRatio { get; set; } = CallPolicyDefaults.RetryRatio;

    /// <summary>
    /// Gets or sets the retries allowed per second whatever the traffic, so a client with little traffic can still
    /// retry (<c>Mesh:Services:&lt;name&gt;:Policy:Budget:MinRetriesPerSecond</c>, 0 or more).
    /// </summary>
    /// <value>Defaults to 10.</value>
    public int MinRetriesPerSecond { get; set; } = CallPolicyDefaults.MinRetriesPerSecond;

    /// <summary>
    /// Gets or sets how long a request or a retry counts against the budget
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:Budget:Ttl</c>, 1 s to 60 s).
    /// </summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan Ttl { get; set; } = CallPolicyDefaults.BudgetTtl;
}
