using Mesh.Balancing.Internal;

namespace Mesh.Tests.Balancing;

public sealed class PeakEwmaTests
{
    private const long Second = TimeSpan.TicksPerSecond;
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;
    private static readonly TimeSpan Tau = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan NeverStale = Timeout.InfiniteTimeSpan;
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(1);

    [Fact]
    public void Observe_HigherLatency_ReplacesTheEstimateAtOnce()
    {
        var ewma = new PeakEwma(Tau, StaleAfter, Second, now: 0);
        ewma.Observe(5 * Ms, 0);

        ewma.Observe(100 * Ms, 1);

        Assert.Equal(100 * Ms, ewma.Estimate(1), 3);
    }

    [Fact]
    public void Observe_LowerLatency_BlendsByElapsedTime()
    {
        var ewma = new PeakEwma(Tau, NeverStale, Second, now: 0);
        ewma.Observe(100 * Ms, 0);

        ewma.Observe(0, 10 * Second); // one τ later: the old value keeps e^-1 of its weight

        Assert.Equal(100 * Ms * Math.Exp(-1), ewma.Estimate(10 * Second), 0);
    }

    [Fact]
    public void Estimate_WithoutSamples_DecaysTowardsZero()
    {
        var ewma = new PeakEwma(Tau, NeverStale, Second, now: 0);
        ewma.Observe(100 * Ms, 0);

        Assert.Equal(100 * Ms * Math.Exp(-2), ewma.Estimate(20 * Second), 0);
        Assert.Equal(100 * Ms, ewma.Estimate(0), 0); // reading does not change it
    }

    [Fact]
    public void NewInstance_StartsAtTheGivenEstimate_AndDecaysFromThere()
    {
        var ewma = new PeakEwma(Tau, NeverStale, timestampFrequency: 1000, now: 0, initialEstimate: 40);

        Assert.Equal(40, ewma.Estimate(0));
        Assert.InRange(ewma.Estimate(10_000), 14.6, 14.8); // 40 × e^-1 after one τ
    }

    [Fact]
    public void Estimate_NotRefreshedByAnAnswer_IsWorthNothingAfterTheHorizon()
    {
        var ewma = new PeakEwma(Tau, StaleAfter, Second, now: 0);
        ewma.Observe(200 * Ms, 0);

        Assert.Equal(200 * Ms * Math.Exp(-0.05) * 0.75, ewma.Estimate(Second / 2), 0); // half the horizon: 1 − ½²
        Assert.Equal(0, ewma.Estimate(Second));
    }

    [Fact]
    public void Observe_AnswerAfterTheHorizon_CountsAlone()
    {
        var ewma = new PeakEwma(Tau, StaleAfter, Second, now: 0);
        ewma.Observe(200 * Ms, 0);

        ewma.Observe(1 * Ms, 2 * Second);

        Assert.Equal(1 * Ms, ewma.Estimate(2 * Second), 0);
    }

    [Fact]
    public void Observe_FrequentAnswers_BarelyFeelTheHorizon()
    {
        var withHorizon = new PeakEwma(Tau, StaleAfter, Second, now: 0);
        var finagle = new PeakEwma(Tau, NeverStale, Second, now: 0);
        withHorizon.Observe(100 * Ms, 0);
        finagle.Observe(100 * Ms, 0);

        // 40 answers of 1 ms, 25 ms apart: both pull the peak down alike (the horizon takes 0.06% per answer, so 2.4%).
        for (var i = 1; i <= 40; i++)
        {
            withHorizon.Observe(1 * Ms, i * 25 * Ms);
            finagle.Observe(1 * Ms, i * 25 * Ms);
        }

        var expected = finagle.Estimate(Second);
        Assert.InRange(withHorizon.Estimate(Second), expected * 0.97, expected);
    }

    [Fact]
    public void Estimate_WhileACallSentAfterTheLastAnswerIsOut_HoldsItsValueAtSending_OrItsWaitIfLonger()
    {
        var ewma = new PeakEwma(Tau, StaleAfter, Second, now: 0);
        ewma.Observe(200 * Ms, 0);
        var atSending = ewma.Estimate(Second / 2);

        ewma.OnCallStarted(Second / 2);

        Assert.Equal(atSending, ewma.Estimate(6 * Second / 10)); // 143 ms held; the call has waited 100 ms
        Assert.Equal(4.5 * Second, ewma.Estimate(5 * Second)); // then at least how long the call has been out
        ewma.Observe(300 * Ms, 5 * Second); // the answer: a slow one is a new peak
        Assert.Equal(300 * Ms, ewma.Estimate(5 * Second), 0);
    }
}
