namespace Mesh.Balancing.Internal;

/// <summary>
/// Counts calls and failures over a sliding interval in ten time buckets. Each bucket is one <see cref="long"/>
/// packing its epoch with both counts, so a call is recorded with one compare-and-swap and no lock, and a bucket
/// left over from an earlier lap is recognised by its epoch and restarted.
/// </summary>
internal sealed class FailureWindow
{
    private const int BucketCount = 10;
    private const int CountBits = 22;
    private const long CountMask = (1L << CountBits) - 1;
    private const long EpochMask = (1L << 20) - 1;
    private readonly long[] _buckets = new long[BucketCount];
    private readonly long _width;

    public FailureWindow(TimeSpan interval, long timestampFrequency) =>
        _width = Math.Max(1, (long)(interval.TotalSeconds * timestampFrequency / BucketCount));

    public void Add(long now, bool failure)
    {
        var tick = now / _width;
        var epoch = tick & EpochMask;
        ref var bucket = ref _buckets[(int)(tick % BucketCount)];
        while (true)
        {
            var current = Volatile.Read(ref bucket);
            long calls = 0, failures = 0;
            if (current >> (2 * CountBits) == epoch)
            {
                calls = (current >> CountBits) & CountMask;
                failures = current & CountMask;
            }

            calls = Math.Min(CountMask, calls + 1);
            failures = Math.Min(CountMask, failures + (failure ? 1 : 0));
            var next = (epoch << (2 * CountBits)) | (calls << CountBits) | failures;
            if (Interlocked.CompareExchange(ref bucket, next, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Returns the calls and failures of the buckets inside the interval ending at <paramref name="now"/>.</summary>
    public (long Calls, long Failures) Sum(long now)
    {
        var epoch = (now / _width) & EpochMask;
        long calls = 0, failures = 0;
        foreach (var value in _buckets)
        {
            var age = (epoch - (value >> (2 * CountBits))) & EpochMask;
            if (value != 0 && age < BucketCount)
            {
                calls += (value >> CountBits) & CountMask;
                failures += value & CountMask;
            }
        }

        return (calls, failures);
    }

    public void Clear()
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            Volatile.Write(ref _buckets[i], 0);
        }
    }
}
