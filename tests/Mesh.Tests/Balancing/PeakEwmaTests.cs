using Mesh.Balancing.Internal;

namespace Mesh.Tests.Balancing;

public sealed class PeakEwmaTests
{
    private const long Second = TimeSpan.TicksPerSecond;
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    [Fact]
    public void Observe_HigherLatency_ReplacesTheEstimateAtOnce()
    {
        var ewma = new PeakEwma(TimeSpan.FromSeconds(10), Second, now: 0);
        ewma.Observe(5 * Ms, 0);

        ewma.Observe(100 * Ms, 1);

        Assert.Equal(100 * Ms, ewma.Estimate(1), 3);
    }

    [Fact]
    public void Observe_LowerLatency_BlendsByElapsedTime()
    {
        var ewma = new PeakEwma(TimeSpan.FromSeconds(10), Second, now: 0);
        ewma.Observe(100 * Ms, 0);

        ewma.Observe(0, 10 * Second); // one τ later: the old value keeps e^-1 of its weight

        Assert.Equal(100 * Ms * Math.Exp(-1), ewma.Estimate(10 * Second), 0);
    }

    [Fact]
    public void Estimate_WithoutSamples_DecaysTowardsZero()
    {
        var ewma = new PeakEwma(TimeSpan.FromSeconds(10), Second, now: 0);
        ewma.Observe(100 * Ms, 0);

        Assert.Equal(100 * Ms * Math.Exp(-2), ewma.Estimate(20 * Second), 0);
        Assert.Equal(100 * Ms, ewma.Estimate(0), 0); // reading does not change it
    }

    [Fact]
    public void NewInstance_StartsAtTheGivenEstimate_AndDecaysFromThere()
    {
        var ewma = new PeakEwma(TimeSpan.FromSeconds(10), timestampFrequency: 1000, now: 0, initialEstimate: 40);

        Assert.Equal(40, ewma.Estimate(0));
        Assert.InRange(ewma.Estimate(10_000), 14.6, 14.8); // 40 × e^-1 after one τ
    }
}
