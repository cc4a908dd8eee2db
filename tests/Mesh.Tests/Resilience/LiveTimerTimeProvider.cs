namespace Mesh.Tests.Resilience;

/// <summary>
/// Passes everything to another clock and counts its timers that are armed and not yet disposed, so a test sees a
/// delay that was abandoned (left to fire for nobody) rather than cancelled. Task.Delay disposes its timer when it
/// fires or is cancelled.
/// </summary>
internal sealed class LiveTimerTimeProvider(TimeProvider inner) : TimeProvider
{
    private int _live;

    public int LiveTimers => Volatile.Read(ref _live);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _live);
        return new CountedTimer(inner.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class CountedTimer(ITimer timer, LiveTimerTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
            }

            timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
