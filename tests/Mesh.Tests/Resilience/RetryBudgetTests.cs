using Grpc.Core;
using Mesh.Resilience;
using Mesh.Resilience.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Resilience;

public sealed class RetryBudgetTests
{
    [Fact]
    public async Task AsyncUnaryCall_FullOutage_RetriesCappedAtRatioPlusFloor()
    {
        // Defaults: ratio 0.2, floor 10/s over a 10 s window. 100 calls may retry 0.2 × 100 + 10 × 10 = 120 times,
        // not the 200 that MaxAttempts = 3 alone would allow. The breaker is off so every call reaches the budget.
        var harness = new PolicyHarness(o => o.CircuitBreaker.Enabled = false);
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        for (var i = 0; i < 100; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(100 + 120, harness.Inner.Sent.Count);
        Assert.Equal(100 + 120, harness.Observer.Started.Count);
        Assert.NotEmpty(harness.Observer.Denied);
    }

    [Fact]
    public async Task AsyncUnaryCall_BudgetSpent_ReturnsTheLastFailure()
    {
        var harness = new PolicyHarness(o =>
        {
            o.CircuitBreaker.Enabled = false;
            o.Budget.MinRetriesPerSecond = 0;
            o.Budget.RetryRatio = 0;
        }).Script(ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "the real failure"));

        var failure = await harness.FailAsync();

        Assert.Equal("the real failure", failure.Status.Detail);
        Assert.Single(harness.Inner.Sent);
        var denied = Assert.Single(harness.Observer.Denied);
        Assert.Equal(2, denied.AttemptNumber);
    }

    [Fact]
    public async Task AsyncUnaryCall_WindowPassed_WithdrawalsAgeOut()
    {
        var harness = new PolicyHarness(o =>
        {
            o.CircuitBreaker.Enabled = false;
            o.Retry.MaxAttempts = 2;
            o.Budget.RetryRatio = 0;
            o.Budget.MinRetriesPerSecond = 1;
            o.Budget.Ttl = TimeSpan.FromSeconds(1);
        });
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        await harness.FailAsync();
        await harness.FailAsync();
        Assert.Equal(3, harness.Inner.Sent.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(1.5));
        await harness.FailAsync();
        Assert.Equal(5, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_FloorSpentLateInABucket_StaysSpentForTheWholeTtl()
    {
        // Floor only: 10/s over 10 s = 100 retries in any 10 s. Spent 0.9 s in, they must still count at 10.0 s
        // (9.1 s later): the fault harness's overload scenario saw the budget refill a second early.
        var harness = new PolicyHarness(o =>
        {
            o.CircuitBreaker.Enabled = false;
            o.Retry.MaxAttempts = 2;
            o.Budget.RetryRatio = 0;
        });
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        harness.Time.Advance(TimeSpan.FromSeconds(0.9));
        for (var i = 0; i < 100; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(200, harness.Inner.Sent.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(9.1));
        for (var i = 0; i < 100; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(300, harness.Inner.Sent.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(1.1));
        await harness.FailAsync();
        Assert.Equal(302, harness.Inner.Sent.Count);
    }

    [Fact]
    public void TryWithdraw_ConcurrentRetries_NeverPastTheBound()
    {
        // Floor 100, no traffic: however many threads race, at most 100 withdrawals succeed.
        var budget = new RetryBudget(new RetryBudgetOptions { RetryRatio = 0 }, new FakeTimeProvider());
        var threads = Math.Max(4, Environment.ProcessorCount * 2);
        using var start = new Barrier(threads);
        var granted = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 200; i++)
            {
                if (budget.TryWithdraw())
                {
                    Interlocked.Increment(ref granted);
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.InRange(granted, 100 - threads, 100);
    }
}
