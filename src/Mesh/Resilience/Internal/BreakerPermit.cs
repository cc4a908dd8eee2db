namespace Mesh.Resilience.Internal;

/// <summary>Leave to send one attempt through the breaker; hand it back once with the attempt's outcome.</summary>
internal readonly struct BreakerPermit
{
    public BreakerPermit(bool isProbe) => IsProbe = isProbe;

    /// <summary>Gets whether this attempt is the half-open probe whose outcome decides the breaker's state.</summary>
    public bool IsProbe { get; }
}
