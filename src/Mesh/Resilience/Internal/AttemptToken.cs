namespace Mesh.Resilience.Internal;

/// <summary>An attempt in flight: what the breaker and the observer need when it ends.</summary>
internal readonly struct AttemptToken
{
    public AttemptToken(int number, bool isHedge, BreakerPermit permit, long startedAt)
    {
        Number = number;
        IsHedge = isHedge;
        Permit = permit;
        StartedAt = startedAt;
    }

    public int Number { get; }

    public bool IsHedge { get; }

    public BreakerPermit Permit { get; }

    /// <summary>Gets the start timestamp; 0 when no observer needs durations.</summary>
    public long StartedAt { get; }
}
