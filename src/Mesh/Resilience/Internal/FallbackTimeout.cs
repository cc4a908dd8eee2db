using Mesh.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>
/// Bounds the unary calls that nothing else bounds (<see cref="CallPolicyOptions.FallbackTimeout"/>) without a timer
/// per call. Calls that start within the same slot share one <see cref="CancellationTokenSource"/>, cancelled once the
/// last of them has run the timeout; so a call is cancelled between the timeout and the timeout plus one slot after it
/// starts. A slot is 1/32 of the timeout, at most 1 s (30 s → 1 s, i.e. within 3%). On the system clock the slot is
/// found on the coarse clock (<see cref="CoarseClock"/>, one read per call), and its lag is added, so never early.
/// </summary>
/// <remarks>
/// Why not a gRPC deadline: a deadline costs a timer per call on the client and another on the server (the
/// <c>grpc-timeout</c> header); on a loopback echo that was 9–16% of the call's CPU (docs/benchmarks.md). A fallback
/// only exists to end calls that hang, so it does not need to be exact, nor sent: when it fires the call is cancelled
/// and the server sees the stream reset, as it would a caller's cancellation.
/// </remarks>
internal sealed class FallbackTimeout
{
    private static readonly long MaxSlot = TimeSpan.FromSeconds(1).Ticks;

    private readonly TimeProvider _timeProvider;
    // Read by every call to find its slot; a slot is at least 50 ms for it to be the coarse clock (see CoarseClock).
    private readonly CoarseClock _clock;
    private readonly long _slotTimestampUnits;
    private readonly Lock _rotation = new();
    private Slot? _current;

    public FallbackTimeout(TimeSpan timeout, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        _timeProvider = timeProvider;
        var slot = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 32, 1, MaxSlot));
        _clock = CoarseClock.For(timeProvider, slot);
        _slotTimestampUnits = Math.Max(1, (long)(slot.TotalSeconds * _clock.Frequency));
    }

    public TimeSpan Timeout { get; }

    /// <summary>Returns the slot of a call starting now: its token and when it fires.</summary>
    public Slot Current()
    {
        var index = _clock.GetTimestamp() / _slotTimestampUnits;
        var current = Volatile.Read(ref _current);
        return current is not null && current.Index == index ? current : Rotate(index);
    }

    private Slot Rotate(long index)
    {
        lock (_rotation)
        {
            var current = _current;
            if (current is not null && current.Index >= index)
            {
                // Another thread rotated first (or a thread that read the clock earlier lost the race): either slot
                // fires at least Timeout after this call starts.
                return current;
            }

            // Fires when the slot's last call has run the full timeout. The source is never disposed: calls may still
            // register on its token after the slot rotates, and once it has fired its timer is gone anyway.
            var now = _clock.GetTimestamp();
            var slotEnd = (index + 1) * _slotTimestampUnits;
            var delay = Timeout + TimeSpan.FromSeconds((double)Math.Max(0, slotEnd - now) / _clock.Frequency) + _clock.MaxLag;
            var slot = new Slot(index, _timeProvider.GetUtcNow().UtcDateTime + delay, new CancellationTokenSource(delay, _timeProvider).Token);
            Volatile.Write(ref _current, slot);
            return slot;
        }
    }

    /// <summary>The calls that started within one slot.</summary>
    /// <param name="Index">The slot's number: the timestamp divided by the slot length.</param>
    /// <param name="FiresAtUtc">When <paramref name="Token"/> is cancelled; retries are planned against it.</param>
    /// <param name="Token">Cancelled when the slot's calls have run out of time (it keeps its source alive).</param>
    internal sealed record Slot(long Index, DateTime FiresAtUtc, CancellationToken Token);
}
