namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// The timers of checks, on the emulator's <see cref="TimeProvider"/>: a TTL check turns critical when not updated
/// within its TTL, and a service whose check stays critical past <c>DeregisterCriticalServiceAfter</c> is reaped.
/// Callbacks re-check deadlines under the state's lock, so a timer racing an update never acts on stale data.
/// </summary>
internal sealed class CheckClock(EmulatorState state)
{
    private readonly TimeProvider _time = state.Time;

    /// <summary>(Re)starts a TTL check's countdown from now.</summary>
    public void ArmTtl(CheckRecord check)
    {
        if (check.Ttl is not { } ttl)
        {
            return;
        }

        check.TtlDeadline = _time.GetUtcNow() + ttl;
        if (check.TtlTimer is null)
        {
            check.TtlTimer = _time.CreateTimer(static s => ((Action)s!)(), (Action)(() => state.OnTtlTimer(check)), ttl, Timeout.InfiniteTimeSpan);
        }
        else
        {
            check.TtlTimer.Change(ttl, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Starts or stops the reaping countdown after a status change.</summary>
    public void UpdateReap(CheckRecord check)
    {
        if (check.Status != EmulatorStatus.Critical)
        {
            check.CriticalSince = null;
            check.ReapTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        if (check.CriticalSince is not null)
        {
            return; // already counting since it first turned critical
        }

        check.CriticalSince = _time.GetUtcNow();
        if (check.DeregisterCriticalServiceAfter is not { } after)
        {
            return;
        }

        if (check.ReapTimer is null)
        {
            check.ReapTimer = _time.CreateTimer(static s => ((Action)s!)(), (Action)(() => state.OnReapTimer(check)), after, Timeout.InfiniteTimeSpan);
        }
        else
        {
            check.ReapTimer.Change(after, Timeout.InfiniteTimeSpan);
        }
    }

    public bool TtlExpired(CheckRecord check) => check.TtlDeadline is { } deadline && _time.GetUtcNow() >= deadline;

    public bool ReapDue(CheckRecord check) =>
        check.Status == EmulatorStatus.Critical && check.CriticalSince is { } since && check.DeregisterCriticalServiceAfter is { } after
        && _time.GetUtcNow() - since >= after;
}
