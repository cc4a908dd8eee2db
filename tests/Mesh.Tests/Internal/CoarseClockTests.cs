using Mesh.Internal;
using Mesh.Resilience.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Internal;

/// <summary>
/// The coarse clock behind rolling windows and fallback slots: the system's tick count for steps of 50 ms and more,
/// the provider's own timestamp otherwise (so fake time still drives every window in the tests).
/// </summary>
public sealed class CoarseClockTests
{
    [Fact]
    public void For_SystemClockAndCoarseSteps_ReadsTheTickCount()
    {
        var clock = CoarseClock.For(TimeProvider.System, TimeSpan.FromSeconds(1));

        var before = Environment.TickCount64;
        var read = clock.GetTimestamp();

        Assert.Equal(1000, clock.Frequency);
        Assert.InRange(read, before, Environment.TickCount64);
        Assert.Equal(TimeSpan.FromMilliseconds(10), clock.MaxLag);
    }

    [Fact]
    public void For_SystemClockAndFineSteps_ReadsTheProvider()
    {
        var clock = CoarseClock.For(TimeProvider.System, TimeSpan.FromMilliseconds(20));

        Assert.Equal(TimeProvider.System.TimestampFrequency, clock.Frequency);
        Assert.Equal(TimeSpan.Zero, clock.MaxLag);
    }

    [Fact]
    public void For_FakeClock_FollowsFakeTime()
    {
        var time = new FakeTimeProvider();
        var clock = CoarseClock.For(time, TimeSpan.FromSeconds(1));

        var before = clock.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(3 * time.TimestampFrequency, clock.GetTimestamp() - before);
        Assert.Equal(TimeSpan.Zero, clock.MaxLag);
    }

    [Fact]
    public void FallbackSlot_OnTheSystemClock_NeverFiresBeforeTheTimeout()
    {
        // 2 s / 32 = 62.5 ms slots: found on the coarse clock, which may trail; its lag is added to when the slot fires.
        var timeout = TimeSpan.FromSeconds(2);
        var fallback = new FallbackTimeout(timeout, TimeProvider.System);

        var startedAt = DateTime.UtcNow;
        var slot = fallback.Current();

        Assert.InRange(slot.FiresAtUtc - startedAt, timeout, timeout + TimeSpan.FromTicks(timeout.Ticks / 32) + TimeSpan.FromMilliseconds(10) + TimeSpan.FromMilliseconds(50));
    }
}
