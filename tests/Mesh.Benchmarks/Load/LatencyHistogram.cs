using System.Diagnostics;
using System.Numerics;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// A log-linear latency histogram in nanoseconds (HdrHistogram's layout, simplified): values below 256 ns have a
/// bucket each; above, every power of two is split into 128 equal buckets, so a bucket is at most 1/128 (0.8%) of
/// its value wide and a percentile read from it is within ±0.4%. Recording is an index computation and an increment
/// into a preallocated array: one histogram per worker, no sharing, no allocation.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;

    // Index of the largest value kept: shift up to 40 (about 2.6 days in ns), far beyond any call here.
    private const int MaxShift = 40;
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly long[] _counts = new long[(MaxShift * SubBucketCount) + (2 * SubBucketCount)];

    public long Count { get; private set; }

    public long MaxNanoseconds { get; private set; }

    /// <summary>Records one latency given in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordTicks(long ticks) => Record((long)(ticks * NanosecondsPerTick));

    public void Record(long nanoseconds)
    {
        var value = Math.Max(0, nanoseconds);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > MaxNanoseconds)
        {
            MaxNanoseconds = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxNanoseconds = Math.Max(MaxNanoseconds, other.MaxNanoseconds);
    }

    /// <summary>Returns the nearest-rank percentile (<paramref name="fraction"/> in (0, 1]) in milliseconds, at its bucket's midpoint.</summary>
    public double PercentileMs(double fraction)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(fraction * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(MidpointOf(i), MaxNanoseconds) / 1e6;
            }
        }

        return MaxNanoseconds / 1e6;
    }

    public double MeanMs()
    {
        double sum = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            sum += _counts[i] * MidpointOf(i);
        }

        return Count == 0 ? double.NaN : sum / Count / 1e6;
    }

    // v < 256: index v. Otherwise shift = msb - 7 (≥ 1), top = v >> shift in [128, 255], index = shift × 128 + top:
    // for shift 1 that is [256, 383], right after the exact range, and each shift adds 128 more.
    private static int IndexOf(long value)
    {
        if (value < 2 * SubBucketCount)
        {
            return (int)value;
        }

        var shift = Math.Min(MaxShift, BitOperations.Log2((ulong)value) - SubBucketBits);
        var top = Math.Min((2 * SubBucketCount) - 1, value >> shift);
        return (shift * SubBucketCount) + (int)top;
    }

    private static double MidpointOf(int index)
    {
        if (index < 2 * SubBucketCount)
        {
            return index;
        }

        var shift = (index / SubBucketCount) - 1;
        var top = index - (shift * SubBucketCount);
        return ((long)top << shift) + ((1L << shift) / 2.0);
    }
}
