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
            check.TtlTimer = _time.CreateTimer(static s => ((Action)s!)(), (Action)(() => OnTtlTimer(check)), ttl, Timeout.InfiniteTimeSpan);
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
            check.ReapTimer = _time.CreateTimer(static s => ((Action)s!)(), (Action)(() => OnReapTimer(check)), after, Timeout.InfiniteTimeSpan);
        }
        else
        {
            check.ReapTimer.Change(after, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Whether a TTL check's deadline has passed. A system timer may fire a little before the wall clock reaches the
    /// deadline; then it is re-armed for the remainder instead of the expiry being lost.
    /// </summary>
    private void OnTtlTimer(CheckRecord check)
    {
        lock (state.Sync)
        {
            if (state.Check(check.CheckId) != check || !TtlDue(check))
            {
                return; // removed, or updated since the timer was set
            }

            check.TtlDeadline = null;
            state.SetStatus(check, EmulatorStatus.Critical,
                check.Output.Length == 0 ? "TTL expired" : "TTL expired (last output before timeout follows): " + check.Output);
        }
    }

    private void OnReapTimer(CheckRecord check)
    {
        lock (state.Sync)
        {
            if (state.Check(check.CheckId) == check && ReapDue(check))
            {
                state.Deregister(check.ServiceId);
            }
        }
    }

    private bool TtlDue(CheckRecord check)
    {
        if (check.TtlDeadline is not { } deadline)
        {
            return false;
        }

        var remaining = deadline - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return true;
        }

        check.TtlTimer?.Change(Max(remaining, TimeSpan.FromMilliseconds(1)), Timeout.InfiniteTimeSpan);
        return false;
    }

    /// <summary>Whether a check has been critical for its <c>DeregisterCriticalServiceAfter</c>; re-armed if early.</summary>
    private bool ReapDue(CheckRecord check)
    {
        if (check.Status != EmulatorStatus.Critical || check.CriticalSince is not { } since || check.DeregisterCriticalServiceAfter is not { } after)
        {
            return false;
        }

        var remaining = since + after - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return true;
        }

        check.ReapTimer?.Change(Max(remaining, TimeSpan.FromMilliseconds(1)), Timeout.InfiniteTimeSpan);
        return false;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
