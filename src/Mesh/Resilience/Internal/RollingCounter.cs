using System.Numerics;

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
/// </remarks>
internal sealed class RollingCounter
{
    private const int BucketCount = 10;

    // 10 buckets of 8 bytes padded to 128: two cache lines per stripe, so neighbouring stripes never share one.
    private const int StripeLength = 16;
    private static readonly int StripeMask = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 32)) - 1;

    private readonly long[] _buckets = new long[(StripeMask + 1) * StripeLength];
    private readonly TimeProvider _timeProvider;
    private readonly long _start;
    private readonly double _bucketsPerTimestampUnit;

    public RollingCounter(TimeProvider timeProvider, TimeSpan window)
    {
        _timeProvider = timeProvider;
        _start = timeProvider.GetTimestamp();
        _bucketsPerTimestampUnit = BucketCount / (window.TotalSeconds * timeProvider.TimestampFrequency);
    }

    public void Increment()
    {
        var epoch = CurrentEpoch();
        var stripe = (Thread.GetCurrentProcessorId() & StripeMask) * StripeLength;
        ref var bucket = ref _buckets[stripe + (int)(epoch % BucketCount)];
        while (true)
        {
            var old = Volatile.Read(ref bucket);
            var next = (uint)(old >> 32) == epoch ? old + 1 : ((long)epoch << 32) | 1;
            if (Interlocked.CompareExchange(ref bucket, next, old) == old)
            {
                return;
            }
        }
    }

    /// <summary>Returns the events of the current bucket and the <c>BucketCount - 1</c> before it, over every stripe.</summary>
    public long Sum()
    {
        var epoch = CurrentEpoch();
        long sum = 0;
        for (var stripe = 0; stripe < _buckets.Length; stripe += StripeLength)
        {
            for (var i = 0; i < BucketCount; i++)
            {
                var value = Volatile.Read(ref _buckets[stripe + i]);
                if (epoch - (uint)(value >> 32) < BucketCount)
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

    // Epochs start at BucketCount so that a never-used bucket (all zero) is never mistaken for a current one.
    private uint CurrentEpoch() =>
        (uint)((_timeProvider.GetTimestamp() - _start) * _bucketsPerTimestampUnit) + BucketCount;
}
