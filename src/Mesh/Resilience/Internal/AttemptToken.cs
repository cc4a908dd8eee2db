using System.Diagnostics;

namespace Mesh.Resilience.Internal;

/// <summary>An attempt in flight: what the breaker, the observer and the trace need when it ends.</summary>
internal readonly struct AttemptToken
{
    public AttemptToken(int number, bool isHedge, BreakerPermit permit, long startedAt, Activity? call = null, Activity? activity = null, Activity? previous = null)
    {
        Number = number;
        IsHedge = isHedge;
        Permit = permit;
        StartedAt = startedAt;
        Call = call;
        Activity = activity;
        Previous = previous;
    }

    public int Number { get; }

    public bool IsHedge { get; }

    public BreakerPermit Permit { get; }

    /// <summary>Gets the start timestamp; 0 when no observer needs durations.</summary>
    public long StartedAt { get; }

    /// <summary>Gets the logical call's span; null when the call is not traced.</summary>
    public Activity? Call { get; }

    /// <summary>Gets the attempt's span, current while the attempt is being sent; null when not traced.</summary>
    public Activity? Activity { get; }

    /// <summary>Gets the span that was current before the attempt's, restored once the attempt is sent.</summary>
    public Activity? Previous { get; }
}
