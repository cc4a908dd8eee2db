using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer created on it, so a test can wait until the code under
/// test is actually waiting (a Task.Delay is scheduled) before advancing time: no races, no sleeps.
/// </summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public SignallingTimeProvider() : base(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits (bounded, in real time) for the next timer whose due time matches.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(cts.Token);
            if (match is null || match(due))
            {
                return due;
            }
        }
    }

    /// <summary>Waits for a timer due in exactly <paramref name="due"/>, then advances past it.</summary>
    public async Task AdvanceWhenScheduledAsync(TimeSpan due)
    {
        await WaitForTimerAsync(d => d == due);
        Advance(due);
    }
}
