namespace Mesh.Benchmarks.Propagation;

/// <summary>Order statistics of a set of latencies (nearest-rank percentiles).</summary>
internal sealed record LatencyStats(int Count, double MinMs, double MedianMs, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencyStats From(IReadOnlyCollection<TimeSpan> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new(sorted.Length, sorted[0], Rank(0.5), Rank(0.9), Rank(0.99), sorted[^1]);
    }

    public override string ToString() =>
        $"n={Count} min={MinMs:0.0} ms median={MedianMs:0.0} ms p90={P90Ms:0.0} ms p99={P99Ms:0.0} ms max={MaxMs:0.0} ms";
}
