using Grpc.Core;

namespace Mesh.Tests.Resilience;

public sealed class HedgingTests
{
    private static PolicyHarness Harness() => new(o =>
    {
        o.Hedging.Enabled = true;
        o.Hedging.MaxAttempts = 3;
        o.Hedging.Delay = TimeSpan.FromMilliseconds(100);
    });

    [Fact]
    public async Task AsyncUnaryCall_NoAnswerWithinDelay_SendsAHedgeAndCancelsTheLoser()
    {
        var harness = Harness();
        var slow = ScriptedAttempt.Pending();
        var fast = ScriptedAttempt.Pending();
        harness.Script(slow, fast);

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Inner.WaitForAttemptsAsync(1);
        Assert.Single(harness.Inner.Sent);

        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(100));
        await harness.Inner.WaitForAttemptsAsync(2);
        fast.Complete("hedge");

        Assert.Equal("hedge", await call.ResponseAsync);
        Assert.True(harness.Inner.Sent[0].Disposed, "the losing attempt is cancelled");
        Assert.False(harness.Inner.Sent[1].Disposed);
        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Equal([false, true], harness.Observer.Started.Select(a => a.IsHedge));
    }

    [Fact]
    public async Task AsyncUnaryCall_FirstAnswersBeforeDelay_SendsNoHedge()
    {
        var harness = Harness().Script(ScriptedAttempt.Ok("first"));

        Assert.Equal("first", await harness.Call(TestMethods.IdempotentUnary).ResponseAsync);

        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncUnaryCall_RetriableFailure_SendsTheNextHedgeAtOnce()
    {
        var harness = Harness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok("second"));

        Assert.Equal("second", await harness.Call(TestMethods.IdempotentUnary).ResponseAsync);

        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_NonRetriableFailure_EndsTheCallAndCancelsTheRest()
    {
        var harness = Harness();
        var first = ScriptedAttempt.Pending();
        var second = ScriptedAttempt.Pending();
        harness.Script(first, second);

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(100));
        await harness.Inner.WaitForAttemptsAsync(2);
        second.CompleteWith(StatusCode.InvalidArgument);

        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.True(harness.Inner.Sent[0].Disposed);
    }

    [Fact]
    public async Task AsyncUnaryCall_EveryHedgeFails_ReturnsTheLastFailure()
    {
        var harness = Harness();
        var attempts = 0;
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable, detail: $"attempt {++attempts}");

        var failure = await harness.FailAsync(TestMethods.IdempotentUnary);

        Assert.Equal("attempt 3", failure.Status.Detail);
        Assert.Equal(3, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_NonIdempotentMethod_IsNotHedged()
    {
        var harness = Harness();
        var first = ScriptedAttempt.Pending();
        harness.Script(first);

        using var call = harness.Call(TestMethods.Unary);
        await harness.Inner.WaitForAttemptsAsync(1);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        first.Complete("only");

        Assert.Equal("only", await call.ResponseAsync);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncUnaryCall_BudgetSpent_SendsNoHedge()
    {
        var harness = new PolicyHarness(o =>
        {
            o.Hedging.Enabled = true;
            o.Budget.RetryRatio = 0;
            o.Budget.MinRetriesPerSecond = 0;
        });
        var first = ScriptedAttempt.Pending();
        harness.Script(first);

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(100));
        first.Complete("alone");

        Assert.Equal("alone", await call.ResponseAsync);
        Assert.Single(harness.Inner.Sent);
        Assert.Single(harness.Observer.Denied);
    }

    [Fact]
    public async Task AsyncUnaryCall_PushbackReplacesTheHedgingDelay_CancelsTheReplacedDelay()
    {
        var harness = Harness();
        var first = ScriptedAttempt.Pending();
        var second = ScriptedAttempt.Pending();
        harness.Script(first, second, ScriptedAttempt.Ok("third"));

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(100));
        await harness.Inner.WaitForAttemptsAsync(2);
        await harness.Time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, harness.Timers.LiveTimers);

        // The second attempt fails asking for 500 ms: the running 100 ms delay no longer decides the next hedge.
        var pushback = new Metadata { { "grpc-retry-pushback-ms", "500" } };
        second.CompleteWith(StatusCode.Unavailable, pushback);
        await harness.Time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, harness.Timers.LiveTimers);

        harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal("third", await call.ResponseAsync);
        Assert.Equal(3, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_FailureWithStopPushback_SendsNoHedgeWhenTheDelayEnds()
    {
        // A negative pushback means "do not retry or hedge" (gRPC A6): the hedging delay already running must not
        // send a hedge anyway once it ends.
        var harness = Harness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable, pushbackMs: "-1"), ScriptedAttempt.Ok("hedge"));

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(100));

        // Bounded wait on the call's end; before the fix it ended only when the delay fired, with the hedge's answer.
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Single(harness.Inner.Sent);
    }
}
