using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

public sealed class RetryTests
{
    [Fact]
    public async Task AsyncUnaryCall_UnavailableThenOk_RetriesOnAFreshCall()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok("second"));

        using var call = harness.Call();

        Assert.Equal("second", await call.ResponseAsync);
        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal([1, 2], harness.Observer.Started.Select(a => a.AttemptNumber));
        Assert.Equal([true, false], harness.Observer.Finished.Select(a => a.WillRetry));
    }

    [Fact]
    public async Task AsyncUnaryCall_NonRetriableStatus_FailsAfterOneAttempt()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.InvalidArgument));

        using var call = harness.Call();
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, call.GetStatus().StatusCode);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncUnaryCall_EveryAttemptFails_ReturnsTheLastFailureAfterMaxAttempts()
    {
        var harness = new PolicyHarness();
        var attempts = 0;
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable, detail: $"attempt {++attempts}");

        var failure = await harness.FailAsync();

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal("attempt 3", failure.Status.Detail);
        Assert.Equal(3, harness.Inner.Sent.Count);
    }

    [Theory]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task AsyncUnaryCall_IdempotentOnlyStatus_RetriedOnlyForIdempotentMethods(StatusCode code)
    {
        var harness = new PolicyHarness();
        harness.Inner.Default = () => ScriptedAttempt.Fail(code);

        await harness.FailAsync(TestMethods.Unary);
        Assert.Single(harness.Inner.Sent);

        await harness.FailAsync(TestMethods.IdempotentUnary);
        Assert.Equal(1 + 3, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_MethodOverride_ReplacesMaxAttemptsAndStatuses()
    {
        var harness = new PolicyHarness(o =>
        {
            o.Methods["test.Orders/*"] = new MethodPolicyOptions();
            o.Methods["test.Orders/*"].Retry.MaxAttempts = 5;
            o.Methods["test.Orders/*"].Retry.RetriableStatusCodes = [StatusCode.ResourceExhausted];
        });
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.ResourceExhausted);

        await harness.FailAsync(TestMethods.Unary);

        Assert.Equal(5, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_Backoff_WaitsTheFullJitterCeilingCappedByMaxBackoff()
    {
        // Jitter sample 1.0 turns "random in [0, ceiling]" into the ceiling itself, so the timers are exact.
        var harness = new PolicyHarness(o =>
        {
            o.Retry.MaxAttempts = 4;
            o.Retry.InitialBackoff = TimeSpan.FromMilliseconds(50);
            o.Retry.MaxBackoff = TimeSpan.FromMilliseconds(80);
        }, jitter: 1.0);
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        var call = harness.FailAsync();
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(50));
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(80));
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(80));
        await call;

        Assert.Equal(4, harness.Inner.Sent.Count);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(80)],
            harness.Observer.Started.Select(a => a.Backoff));
    }

    [Fact]
    public async Task AsyncUnaryCall_RandomJitter_StaysWithinTheCeiling()
    {
        var harness = new PolicyHarness(o =>
        {
            o.Retry.MaxAttempts = 2;
            o.CircuitBreaker.Enabled = false;
        });

        // Task.Delay completes delays under 1 ms at once, without a timer; keep samples above that so each call waits on one.
        harness.Policy.Engine.Jitter = () => Math.Max(Random.Shared.NextDouble(), 0.05);
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);
        var delays = new List<TimeSpan>();

        for (var i = 0; i < 50; i++)
        {
            var call = harness.FailAsync();
            var due = await harness.Time.WaitForTimerAsync();
            harness.Time.Advance(due);
            await call;
            delays.Add(due);
        }

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(50)));
        Assert.True(delays.Distinct().Count() > 10, "full jitter spreads the delays");
    }

    [Fact]
    public async Task AsyncUnaryCall_Pushback_WaitsExactlyThePushback()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable, pushbackMs: "700"), ScriptedAttempt.Ok());

        var call = harness.Call().ResponseAsync;
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(700));

        Assert.Equal("ok", await call);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task AsyncUnaryCall_NegativeOrInvalidPushback_StopsRetrying(string pushback)
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable, pushback));

        var failure = await harness.FailAsync();

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncUnaryCall_PushbackOnNonRetriableStatus_DoesNotRetry()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.PermissionDenied, "10"));

        await harness.FailAsync();

        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncUnaryCall_CancelledDuringBackoff_EndsCancelledWithoutAnotherAttempt()
    {
        var harness = new PolicyHarness(jitter: 1.0);
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);
        using var cts = new CancellationTokenSource();

        var call = harness.FailAsync(options: new CallOptions(cancellationToken: cts.Token));
        await harness.Time.WaitForTimerAsync();
        await cts.CancelAsync();
        var failure = await call;

        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task BlockingUnaryCall_RetriesLikeTheAsyncCall()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok("blocking"));

        var response = await Task.Run(() => harness.Invoker.BlockingUnaryCall(TestMethods.Unary, null, default, "request"));

        Assert.Equal("blocking", response);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_Headers_AreTheFinalAttempts()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok());

        using var call = harness.Call();
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal(harness.Inner.Sent[1].Script.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture), headers.GetValue("attempt"));
        Assert.Empty(call.GetTrailers());
    }
}
