namespace Mesh.Balancing.Internal;

/// <summary>
/// A peak-sensitive moving average of one instance's latency (Finagle's and Linkerd's "peak EWMA"), whose evidence
/// goes stale. A sample above the estimate replaces it at once, so a slowing instance is noticed on its first slow
/// answer; lower samples pull it down with the weight the past has lost. The past's weight after Δt is
/// e^(−Δt/τ) × (1 − (Δt/H)²), zero past H:
/// <list type="bullet">
/// <item>e^(−Δt/τ) is Finagle's decay (τ = 10 s): how fast history fades among frequent answers.</item>
/// <item>
/// 1 − (Δt/H)² bounds how long an estimate is believed without a fresh answer. P2C only learns about the instances it
/// picks, so with decay alone one slow answer (a cold start) kept an instance out for τ × ln(slow / fast): 50 s for
/// 200 ms against 1 ms, all of a low-traffic run. Now it is asked again within H (1 s) whatever the ratio, and its
/// next answer counts almost alone. The factor is square so that frequent answers barely feel it (an answer every
/// 25 ms loses 0.06% to it, against 0.25% to the decay); a persistently slow instance pays its peak again on each
/// retry, so it still gets about one call per H while its peers stay busy.
/// </item>
/// </list>
/// While a call sent after the last answer is out, the estimate holds the value it had when that call was sent, and is
/// at least how long that call has been waiting (a lower bound on its latency): an instance retried after going stale
/// neither keeps getting cheaper nor stays at "unknown, so free" while its peers answer, either of which would draw
/// every concurrent call onto it before its first answer (what Finagle's penalty for a pending host with no history
/// prevents). Time is in <see cref="TimeProvider.GetTimestamp"/> units.
/// </summary>
internal sealed class PeakEwma
{
    private readonly double _tau;
    private readonly double _staleAfter;
    private double _estimate;
    private long _stamp;
    private long _sent;

    /// <param name="decayTime">τ.</param>
    /// <param name="staleAfter">H; <see cref="Timeout.InfiniteTimeSpan"/> for none (Finagle's model).</param>
    /// <param name="timestampFrequency">Timestamp units per second.</param>
    /// <param name="now">The current timestamp.</param>
    /// <param name="initialEstimate">
    /// Where a new instance starts. Zero would make it the cheapest choice until its first answers, sending it all
    /// the traffic of a P2C balancer at once, the moment it is coldest (JIT, empty caches); starting at its peers'
    /// average lets it compete on equal terms and earn its share.
    /// </param>
    public PeakEwma(TimeSpan decayTime, TimeSpan staleAfter, long timestampFrequency, long now, double initialEstimate = 0)
    {
        _tau = Math.Max(1, decayTime.TotalSeconds * timestampFrequency);
        _staleAfter = staleAfter == Timeout.InfiniteTimeSpan ? double.PositiveInfinity : Math.Max(1, staleAfter.TotalSeconds * timestampFrequency);
        _stamp = now;
        _sent = now;
        _estimate = Math.Max(0, initialEstimate);
    }

    /// <summary>Notes that a call was sent (one write: it runs on every call).</summary>
    public void OnCallStarted(long now) => Volatile.Write(ref _sent, now);

    /// <summary>Records one call's latency.</summary>
    /// <remarks>
    /// Not atomic: two completions racing may lose one sample. The estimate is a heuristic and this runs on every
    /// call, so a lock or a retry loop would cost more than the sample is worth.
    /// </remarks>
    public void Observe(long latency, long now)
    {
        var weight = Weight(now - Volatile.Read(ref _stamp));
        var past = Volatile.Read(ref _estimate) * weight;
        var next = latency >= past ? latency : past + (latency * (1 - weight));
        Volatile.Write(ref _estimate, next);
        Volatile.Write(ref _stamp, now);
    }

    /// <summary>
    /// The cost P2C gives a call out on no evidence, Finagle's penalty for a pending host without history: large, yet
    /// finite after P2C multiplies it by the calls in flight, so such instances still compare by calls in flight.
    /// </summary>
    public const double Penalty = double.MaxValue / 1e9;

    /// <summary>Returns the estimate at <paramref name="now"/>, without changing it (picks only read).</summary>
    public double Estimate(long now) => Estimate(now, penalizeUnknown: false);

    /// <summary>
    /// Returns what P2C compares: <see cref="Estimate(long)"/>, except that while a call sent after the last answer is
    /// out and the estimate held at its sending is zero (never answered, or stale past H), it is <see cref="Penalty"/>.
    /// Its wait alone would make it all but free: the wait of the call sent last restarts at each new call, so every
    /// concurrent call went there until the first answered.
    /// </summary>
    public double CostEstimate(long now) => Estimate(now, penalizeUnknown: true);

    private double Estimate(long now, bool penalizeUnknown)
    {
        var estimate = Volatile.Read(ref _estimate);
        var stamp = Volatile.Read(ref _stamp);
        var sent = Volatile.Read(ref _sent);
        if (sent > stamp)
        {
            // The call sent last is still out (its answer would have moved the stamp past it).
            var held = estimate * Weight(sent - stamp);
            return held == 0 && penalizeUnknown ? Penalty : Math.Max(held, now - sent);
        }

        return estimate == 0 ? 0 : estimate * Weight(now - stamp);
    }

    /// <summary>The weight the past keeps after <paramref name="elapsed"/>: decay × staleness, see the class remarks.</summary>
    private double Weight(long elapsed)
    {
        if (elapsed <= 0)
        {
            return 1;
        }

        var stale = elapsed / _staleAfter;
        return stale >= 1 ? 0 : Decay(elapsed / _tau) * (1 - (stale * stale));
    }

    /// <summary>
    /// e^(−x). Busy instances are sampled microseconds apart (x ≈ 1e-7), where the second-order Taylor polynomial is
    /// exact to 1e-7 and several times cheaper than <see cref="Math.Exp"/>, which runs twice per pick.
    /// </summary>
    private static double Decay(double x) => x < 0.01 ? 1 - x + (x * x / 2) : Math.Exp(-x);
}
