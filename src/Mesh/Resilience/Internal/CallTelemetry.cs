using System.Diagnostics;

namespace Mesh.Resilience.Internal;

/// <summary>
/// What a logical call carries for telemetry: its span (null when nothing listens) and its start time (0 when no
/// observer wants durations). Default when neither is on, which is what the untraced hot path sees.
/// </summary>
internal readonly struct CallTelemetry
{
    public CallTelemetry(Activity? activity, Activity? previous, long startedAt)
    {
        Activity = activity;
        Previous = previous;
        StartedAt = startedAt;
    }

    public Activity? Activity { get; }

    /// <summary>Gets the span current before the call's started, for call shapes that return synchronously.</summary>
    public Activity? Previous { get; }

    public long StartedAt { get; }

    /// <summary>Gets whether the call must be ended through <see cref="CallPolicyEngine.EndCall"/> with its final status.</summary>
    public bool IsObserved => Activity is not null || StartedAt != 0;

    /// <summary>
    /// Makes the caller's span current again. Needed where a call object is returned synchronously (streams): an async
    /// method restores its caller's context by itself, a synchronous one would leak the call span to the caller.
    /// </summary>
    public void RestoreCurrent()
    {
        if (Activity is not null)
        {
            System.Diagnostics.Activity.Current = Previous;
        }
    }
}
