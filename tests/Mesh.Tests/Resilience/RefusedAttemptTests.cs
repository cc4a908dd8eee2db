using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

/// <summary>
/// A retry or hedge the breaker refuses, because it opened while the call was under way: the caller gets what the
/// service last answered (as when the budget refuses), and no budget is spent on an attempt never sent.
/// </summary>
public sealed class RefusedAttemptTests
{
    private static readonly TimeSpan Pushback = TimeSpan.FromMilliseconds(200);

    private static PolicyHarness Harness() => new(o =>
    {
        // Only test.Orders/Get and Watch are retried; test.Orders/Create calls open the breaker with one attempt each.
        o.Retry.MaxAttempts = 1;
        o.Methods["test.Orders/Get"].Retry.MaxAttempts = 3;
        o.Methods["test.Orders/Watch"] = new MethodPolicyOptions();
        o.Methods["test.Orders/Watch"].Retry.MaxAttempts = 3;
        o.CircuitBreaker.MinimumThroughput = 4;
        o.CircuitBreaker.FailureRatio = 0.5;
    }, jitter: 1);

    [Fact]
    public async Task AsyncUnaryCall_RetryRefusedByABreakerThatOpenedDuringTheBackoff_FailsWithTheLastAttempt()
    {
        var harness = Harness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "first attempt"));
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "other calls");

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(50));
        await OpenAsync(harness);
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));

        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal("first attempt", failure.Status.Detail);
        Assert.Equal("first attempt", call.GetStatus().Detail);
        Assert.Equal(5, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_RetryRefusedByABreakerThatOpenedDuringTheBackoff_FailsWithTheLastAttempt()
    {
        var harness = Harness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "first attempt"));
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "other calls");

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        var moved = call.ResponseStream.MoveNext(CancellationToken.None);
        await harness.Time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(50));
        await OpenAsync(harness);
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));

        var failure = await Assert.ThrowsAsync<RpcException>(() => moved);
        Assert.Equal("first attempt", failure.Status.Detail);
        Assert.Equal("first attempt", call.GetStatus().Detail);
        Assert.Equal(5, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_HedgeRefusedByABreakerThatOpenedDuringThePushback_FailsWithTheLastAttempt()
    {
        var harness = Hedged();
        using var call = await FailFirstHedgeThenOpenAsync(harness);

        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal("first attempt", failure.Status.Detail);
        Assert.Equal("first attempt", call.GetStatus().Detail);
        Assert.Equal(5, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_HedgeRefusedByTheBreaker_SpendsNoBudget()
    {
        var harness = Hedged();
        using (var call = await FailFirstHedgeThenOpenAsync(harness))
        {
            await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        }

        // After the break a probe closes the breaker; the one hedge the budget allows is still there.
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        harness.Script(ScriptedAttempt.Ok("probe"), ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok("hedge"));
        Assert.Equal("probe", await harness.Call(TestMethods.Unary).ResponseAsync);
        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);

        Assert.Equal("hedge", await harness.Call(TestMethods.IdempotentUnary).ResponseAsync);
        Assert.Empty(harness.Observer.Denied);
    }

    private static PolicyHarness Hedged() => new(o =>
    {
        o.Retry.MaxAttempts = 1;
        o.Hedging.Enabled = true;
        o.Hedging.MaxAttempts = 2;
        o.CircuitBreaker.MinimumThroughput = 4;
        o.CircuitBreaker.FailureRatio = 0.5;
        o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
        // No floor, 0.2 per call: the seven calls these tests make in 10 s leave room for exactly one hedge.
        o.Budget.RetryRatio = 0.2;
        o.Budget.MinRetriesPerSecond = 0;
    });

    /// <summary>
    /// Starts a hedged call whose first attempt fails asking for a 200 ms pushback, opens the breaker while it waits,
    /// and lets the pushback pass: the hedge is due with the breaker open.
    /// </summary>
    private static async Task<AsyncUnaryCall<string>> FailFirstHedgeThenOpenAsync(PolicyHarness harness)
    {
        harness.Script(ScriptedAttempt.Fail(StatusCode.Unavailable, pushbackMs: "200", detail: "first attempt"));
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "other calls");

        var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Time.WaitForTimerAsync(d => d == Pushback);
        await OpenAsync(harness);
        harness.Time.Advance(Pushback);
        return call;
    }

    private static async Task OpenAsync(PolicyHarness harness)
    {
        for (var i = 0; i < 4; i++)
        {
            await harness.FailAsync(TestMethods.Unary);
        }

        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
    }
}
