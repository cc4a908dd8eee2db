namespace Mesh.Resilience;

/// <summary>
/// Hedging of idempotent calls (<c>Mesh:Services:&lt;name&gt;:Policy:Hedging</c>): when an attempt has not answered
/// after <see cref="Delay"/>, another one is sent (a fresh pick, so usually another instance); the first success
/// wins and the others are cancelled. A hedged method is not retried: its attempts are the hedges.
/// </summary>
public sealed class HedgingOptions
{
    /// <summary>
    /// Gets or sets whether methods marked idempotent are hedged (<c>Mesh:Services:&lt;name&gt;:Policy:Hedging:Enabled</c>).
    /// Methods not marked idempotent are never hedged.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>
    /// Gets or sets the most attempts in flight per call, the first included
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:Hedging:MaxAttempts</c>, 2 to 10).
    /// </summary>
    /// <value>Defaults to 2.</value>
    public int MaxAttempts { get; set; } = CallPolicyDefaults.HedgingMaxAttempts;

    /// <summary>
    /// Gets or sets how long to wait for an answer before sending the next attempt
    /// (<c>Mesh:Services:&lt;name&gt;:Policy:Hedging:Delay</c>, 0 or more; 0 sends every attempt at once).
    /// A failed attempt with a retriable status sends the next one at once.
    /// </summary>
    /// <value>Defaults to 100 ms.</value>
    public TimeSpan Delay { get; set; } = CallPolicyDefaults.HedgingDelay;
}
