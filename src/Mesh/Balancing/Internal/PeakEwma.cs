namespace Mesh.Balancing.Internal;

/// <summary>
/// A peak-sensitive moving average of one instance's latency (Finagle's and Linkerd's "peak EWMA"): a sample above
/// the average replaces it at once, so a slowing instance is noticed on its first slow answer; lower samples pull it
/// down with weight 1 − e^(−Δt/τ), and between samples it decays towards zero, so an instance that stopped getting
/// calls because it looked slow is tried again later. Time is in <see cref="TimeProvider.GetTimestamp"/> units.
/// </summary>
internal sealed class PeakEwma
{
    private readonly double _tau;
    private double _estimate;
    private long _stamp;

    /// <param name="decayTime">τ.</param>
    /// <param name="timestampFrequency">Timestamp units per second.</param>
    /// <param name="now">The current timestamp.</param>
    /// <param name="initialEstimate">
    /// Where a new instance starts. Zero would make it the cheapest choice until its first answers, sending it all
    /// the traffic of a P2C balancer at once, the moment it is coldest (JIT, empty caches); starting at its peers'
    /// average lets it compete on equal terms and earn its share.
    /// </param>
    public PeakEwma(TimeSpan decayTime, long timestampFrequency, long now, double initialEstimate = 0)
    {
        _tau = Math.Max(1, decayTime.TotalSeconds * timestampFrequency);
        _stamp = now;
        _estimate = Math.Max(0, initialEstimate);
    }

    /// <summary>Records one call's latency.</summary>
    /// <remarks>
    /// Not atomic: two completions racing may lose one sample. The estimate is a heuristic and this runs on every
    /// call, so a lock or a retry loop would cost more than the sample is worth.
    /// </remarks>
    public void Observe(long latency, long now)
    {
        var estimate = Volatile.Read(ref _estimate);
        double next;
        if (latency >= estimate)
        {
            next = latency;
        }
        else
        {
            var weight = Decay(Math.Max(0, now - Volatile.Read(ref _stamp)) / _tau);
            next = (estimate * weight) + (latency * (1 - weight));
        }

        Volatile.Write(ref _estimate, next);
        Volatile.Write(ref _stamp, now);
    }

    /// <summary>Returns the estimate decayed to <paramref name="now"/>, without changing it (picks only read).</summary>
    public double Estimate(long now)
    {
        var estimate = Volatile.Read(ref _estimate);
        var elapsed = now - Volatile.Read(ref _stamp);
        return elapsed <= 0 || estimate == 0 ? estimate : estimate * Decay(elapsed / _tau);
    }

    /// <summary>
    /// e^(−x). Busy instances are sampled microseconds apart (x ≈ 1e-7), where the second-order Taylor polynomial is
    /// exact to 1e-7 and several times cheaper than <see cref="Math.Exp"/>, which runs twice per pick.
    /// </summary>
    private static double Decay(double x) => x < 0.01 ? 1 - x + (x * x / 2) : Math.Exp(-x);
}
