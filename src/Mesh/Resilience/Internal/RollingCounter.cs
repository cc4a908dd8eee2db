namespace Mesh.Resilience.Internal;

/// <summary>
/// A count over a sliding window, kept in buckets so old events age out. Lock-free: each bucket is one 64-bit word
/// holding (bucket epoch, count), updated by compare-exchange, so a stale bucket is reset and counted into in one
/// atomic step and no increment is lost to a reset.
/// </summary>
internal sealed class RollingCounter
{
    private const int BucketCount = 10;
    private readonly long[] _buckets = new long[BucketCount];
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
        ref var bucket = ref _buckets[epoch % BucketCount];
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

    /// <summary>Returns the events of the current bucket and the <c>BucketCount - 1</c> before it.</summary>
    public long Sum()
    {
        var epoch = CurrentEpoch();
        long sum = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            var value = Volatile.Read(ref _buckets[i]);
            if (epoch - (uint)(value >> 32) < BucketCount)
            {
                sum += (uint)value;
            }
        }

        return sum;
    }

    public void Reset()
    {
        for (var i = 0; i < BucketCount; i++)
        {
            Volatile.Write(ref _buckets[i], 0);
        }
    }

    // Epochs start at 1 so that a never-used bucket (all zero) is never mistaken for the current one.
    private uint CurrentEpoch() =>
        (uint)((_timeProvider.GetTimestamp() - _start) * _bucketsPerTimestampUnit) + BucketCount;
}
