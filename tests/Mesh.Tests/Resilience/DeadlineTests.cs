using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

public sealed class DeadlineTests
{
    [Fact]
    public async Task AsyncUnaryCall_PolicyTimeout_IsEveryAttemptsDeadline()
    {
        var harness = new PolicyHarness(o => o.Timeout = TimeSpan.FromSeconds(2)).Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok());
        var expected = harness.Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(2);

        await harness.Call().ResponseAsync;

        Assert.All(harness.Inner.Sent, a => Assert.Equal(expected, a.Options.Deadline));
    }

    [Fact]
    public async Task AsyncUnaryCall_EarlierCallerDeadline_Wins()
    {
        var harness = new PolicyHarness();
        var callerDeadline = harness.Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1);

        await harness.Call(options: new CallOptions(deadline: callerDeadline)).ResponseAsync;

        Assert.Equal(callerDeadline, harness.Inner.Sent[0].Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_ZeroTimeoutAndNoCallerDeadline_SendsNoDeadline()
    {
        var harness = new PolicyHarness(o => o.Timeout = TimeSpan.Zero);

        await harness.Call().ResponseAsync;

        Assert.Null(harness.Inner.Sent[0].Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_Deadline_StopsRetriesThatWouldEndPastIt()
    {
        // 100 ms budget; backoff ceilings 60 ms then 120 ms: the second retry cannot fit, so the call ends after two.
        var harness = new PolicyHarness(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(100);
            o.Retry.MaxAttempts = 5;
            o.Retry.InitialBackoff = TimeSpan.FromMilliseconds(60);
        }, jitter: 1.0);
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        var call = harness.FailAsync();
        await harness.Time.AdvanceWhenScheduledAsync(TimeSpan.FromMilliseconds(60));
        var failure = await call;

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_PushbackPastTheDeadline_EndsWithTheFailure()
    {
        var harness = new PolicyHarness(o => o.Timeout = TimeSpan.FromSeconds(1)).Script(ScriptedAttempt.Fail(StatusCode.Unavailable, "5000"));

        await harness.FailAsync();

        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncUnaryCall_InsideAnIncomingCall_InheritsItsEarlierDeadline()
    {
        var time = new Mesh.Tests.TestSupport.SignallingTimeProvider();
        var incomingDeadline = time.GetUtcNow().UtcDateTime + TimeSpan.FromMilliseconds(300);
        var source = new FixedCallContextSource(new IncomingCallContext(incomingDeadline, CancellationToken.None));
        var harness = new PolicyHarness(callContext: source);

        await harness.Call().ResponseAsync;

        Assert.Equal(incomingDeadline, harness.Inner.Sent[0].Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_IncomingCallCancelled_CancelsTheOutgoingAttempt()
    {
        using var incoming = new CancellationTokenSource();
        using var caller = new CancellationTokenSource();
        var source = new FixedCallContextSource(new IncomingCallContext(DateTime.MaxValue, incoming.Token));
        var harness = new PolicyHarness(callContext: source).Script(ScriptedAttempt.Pending());

        using var call = harness.Call(options: new CallOptions(cancellationToken: caller.Token));
        await harness.Inner.WaitForAttemptsAsync(1);
        await incoming.CancelAsync();
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
        Assert.Single(harness.Inner.Sent);
    }
}
