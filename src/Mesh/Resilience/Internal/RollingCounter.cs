using System.Numerics;
using Mesh.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A count over a sliding window, kept in buckets so old events age out. Lock-free: each bucket is one 64-bit word
/// holding (bucket epoch, count), updated by compare-exchange, so a stale bucket is reset and counted into in one
/// atomic step and no increment is lost to a reset.
/// </summary>
/// <remarks>
/// Every call increments (the budget's deposits, the breaker's attempts) while only retries and failures read the sum,
/// so the buckets are striped by processor: each core increments its own cache line instead of every call on every
/// core bouncing one line between them, and <see cref="Sum"/> adds the stripes up.
/// The ring keeps one bucket more than the window, so <see cref="SumCovering"/> can count over at least the whole
/// window (a budget's spending must not age out early), while <see cref="Sum"/> counts over at most the window.
/// </remarks>
internal sealed class RollingCounter
{
    private const int BucketCount = 10;
    private const int RingLength = BucketCount + 1;

    // 11 buckets of 8 bytes padded to 128: two cache lines per stripe, so neighbouring stripes never share one.
    private const int StripeLength = 16;
    private static readonly int StripeMask = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 32)) - 1;

    private readonly long[] _buckets = new long[(StripeMask + 1) * StripeLength];
    private readonly CoarseClock _clock;
    private readonly long _start;
    private readonly double _bucketsPerTimestampUnit;

    public RollingCounter(TimeProvider timeProvider, TimeSpan window)
    {
        // Every call increments, and a bucket is a tenth of the window (50 ms at the least): the coarse clock will do.
        _clock = CoarseClock.For(timeProvider, window / BucketCount);
        _start = _clock.GetTimestamp();
        _bucketsPerTimestampUnit = BucketCount / (window.TotalSeconds * _clock.Frequency);
    }

    /// <summary>Counts one event now and returns where it went, for <see cref="Undo"/>.</summary>
    public Slot Increment()
    {
        var epoch = CurrentEpoch();
        var index = ((Thread.GetCurrentProcessorId() & StripeMask) * StripeLength) + (int)(epoch % RingLength);
        ref var bucket = ref _buckets[index];
        while (true)
        {
            var old = Volatile.Read(ref bucket);
            var next = (uint)(old >> 32) == epoch ? old + 1 : ((long)epoch << 32) | 1;
            if (Interlocked.CompareExchange(ref bucket, next, old) == old)
            {
                return new Slot(index, epoch);
            }
        }
    }

    /// <summary>Takes back an event counted by <see cref="Increment"/>, unless its bucket has been reused since.</summary>
    public void Undo(Slot slot)
    {
        ref var bucket = ref _buckets[slot.Index];
        while (true)
        {
            var old = Volatile.Read(ref bucket);
            if ((uint)(old >> 32) != slot.Epoch || (uint)old == 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref bucket, old - 1, old) == old)
            {
                return;
            }
        }
    }

    /// <summary>Returns the events of the current bucket and the <c>BucketCount - 1</c> before it: at most the window.</summary>
    public long Sum() => SumOver(BucketCount);

    /// <summary>Returns the events of the current bucket and the <c>BucketCount</c> before it: at least the window.</summary>
    public long SumCovering() => SumOver(RingLength);

    private long SumOver(uint buckets)
    {
        var epoch = CurrentEpoch();
        long sum = 0;
        for (var stripe = 0; stripe < _buckets.Length; stripe += StripeLength)
        {
            for (var i = 0; i < RingLength; i++)
            {
                var value = Volatile.Read(ref _buckets[stripe + i]);
                if (epoch - (uint)(value >> 32) < buckets)
                {
                    sum += (uint)value;
                }
            }
        }

        return sum;
    }

    public void Reset()
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            Volatile.Write(ref _buckets[i], 0);
        }
    }

    // Epochs start at RingLength so that a never-used bucket (all zero) is never mistaken for a current one.
    private uint CurrentEpoch() =>
        (uint)((_clock.GetTimestamp() - _start) * _bucketsPerTimestampUnit) + RingLength;

    /// <summary>Where one counted event went: its bucket's index and epoch.</summary>
    internal readonly record struct Slot(int Index, uint Epoch);
}
