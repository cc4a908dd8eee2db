using Grpc.Core;
using Mesh.Resilience;
using Mesh.Resilience.Internal;
using Mesh.Tests.TestSupport;

namespace Mesh.Tests.Resilience;

public sealed class FallbackTimeoutTests
{
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(30);

    // 30 s / 32: a call is cut between 30 s and 30.9375 s after it started.
    private static readonly TimeSpan Slot = TimeSpan.FromTicks(Fallback.Ticks / 32);

    private static PolicyHarness Harness(Action<CallPolicyOptions>? configure = null) => new(o =>
    {
        o.FallbackTimeout = Fallback;
        configure?.Invoke(o);
    });

    [Fact]
    public async Task AsyncUnaryCall_NothingBoundsIt_SendsNoDeadlineAndEndsWithDeadlineExceededAfterTheFallback()
    {
        var harness = Harness().Script(ScriptedAttempt.Pending());

        // Idempotent: DeadlineExceeded is retriable for it, yet the fallback ends the whole call, not one attempt.
        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Inner.WaitForAttemptsAsync(1);
        harness.Time.Advance(Fallback - TimeSpan.FromMilliseconds(1));
        Assert.False(call.ResponseAsync.IsCompleted, "cut before the fallback");

        harness.Time.Advance(Slot + TimeSpan.FromMilliseconds(1));
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Equal("Deadline Exceeded: no answer from 'orders' within the fallback timeout (30 s)", failure.Status.Detail);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
        Assert.Null(harness.Inner.Sent[0].Options.Deadline); // not sent: the server sees the cancellation instead
        Assert.Single(harness.Inner.Sent);
        Assert.Equal(StatusCode.DeadlineExceeded, Assert.Single(harness.Observer.Finished).Status.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_CallerCancelsBeforeTheFallback_EndsCancelled()
    {
        using var caller = new CancellationTokenSource();
        var harness = Harness().Script(ScriptedAttempt.Pending());

        using var call = harness.Call(options: new CallOptions(cancellationToken: caller.Token));
        await harness.Inner.WaitForAttemptsAsync(1);
        await caller.CancelAsync();
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_CallerTokenAndFallback_TheFallbackStillCuts()
    {
        using var caller = new CancellationTokenSource();
        var harness = Harness().Script(ScriptedAttempt.Pending());

        using var call = harness.Call(options: new CallOptions(cancellationToken: caller.Token));
        await harness.Inner.WaitForAttemptsAsync(1);
        harness.Time.Advance(Fallback + Slot);
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.False(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task AsyncUnaryCall_CallerDeadline_ReplacesTheFallback()
    {
        var harness = Harness().Script(ScriptedAttempt.Pending());
        var deadline = harness.Time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(2);

        using var call = harness.Call(options: new CallOptions(deadline: deadline));
        await harness.Inner.WaitForAttemptsAsync(1);
        harness.Time.Advance(Fallback + Slot);

        var sent = harness.Inner.Sent[0].Options;
        Assert.Equal(deadline, sent.Deadline);
        Assert.False(sent.CancellationToken.CanBeCanceled, "a deadline was somebody's choice: no fallback on top of it");
        Assert.False(call.ResponseAsync.IsCompleted);
    }

    [Fact]
    public async Task AsyncUnaryCall_ConfiguredTimeout_IsADeadlineAndReplacesTheFallback()
    {
        var harness = Harness(o => o.Timeout = TimeSpan.FromSeconds(5)).Script(ScriptedAttempt.Ok());

        await harness.Call().ResponseAsync;

        var sent = harness.Inner.Sent[0].Options;
        Assert.Equal(harness.Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(5), sent.Deadline);
        Assert.False(sent.CancellationToken.CanBeCanceled);
    }

    [Fact]
    public async Task AsyncUnaryCall_FallbackTurnedOff_NothingCutsTheCall()
    {
        var harness = Harness(o => o.FallbackTimeout = TimeSpan.Zero).Script(ScriptedAttempt.Ok());

        await harness.Call().ResponseAsync;

        var sent = harness.Inner.Sent[0].Options;
        Assert.Null(sent.Deadline);
        Assert.False(sent.CancellationToken.CanBeCanceled);
    }

    [Fact]
    public async Task AsyncUnaryCall_RetryThatCannotFinishBeforeTheFallback_IsNotSent()
    {
        // Pushback of 40 s: more than the fallback leaves, so the failure ends the call at once.
        var harness = Harness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable, pushbackMs: "40000"));

        var failure = await harness.FailAsync();

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task HedgedCall_NoAttemptAnswers_EndsWithDeadlineExceeded()
    {
        var harness = Harness(o =>
        {
            o.Hedging.Enabled = true;
            o.Hedging.MaxAttempts = 2;
            o.Hedging.Delay = TimeSpan.FromMinutes(1); // past the fallback: no hedge is planned
        }).Script(ScriptedAttempt.Pending());

        using var call = harness.Call(TestMethods.IdempotentUnary);
        await harness.Inner.WaitForAttemptsAsync(1);
        harness.Time.Advance(Fallback + Slot);
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task ServerStreamingCall_IsNotBoundByTheFallback()
    {
        var harness = Harness().Script(ScriptedAttempt.Ok());

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        await harness.Inner.WaitForAttemptsAsync(1);

        Assert.False(harness.Inner.Sent[0].Options.CancellationToken.CanBeCanceled, "streams run for as long as their caller wants");
    }

    [Fact]
    public void Slot_CallsStartingTogether_ShareOneTimer()
    {
        var time = new SignallingTimeProvider();
        var fallback = new FallbackTimeout(Fallback, time);

        var first = fallback.Current();
        var same = fallback.Current();
        time.Advance(Slot);
        var next = fallback.Current();

        Assert.Same(first, same);
        Assert.NotSame(first, next);
        Assert.InRange(first.FiresAtUtc - time.GetUtcNow().UtcDateTime + Slot, Fallback, Fallback + Slot);
        Assert.True(next.FiresAtUtc > first.FiresAtUtc);
    }
}
