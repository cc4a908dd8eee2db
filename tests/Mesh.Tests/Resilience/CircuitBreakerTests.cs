using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private static PolicyHarness Harness() => new(o =>
    {
        o.Retry.MaxAttempts = 1;
        o.CircuitBreaker.MinimumThroughput = 4;
        o.CircuitBreaker.FailureRatio = 0.5;
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    });

    [Fact]
    public async Task AsyncUnaryCall_FailuresBelowMinimumThroughput_KeepTheCircuitClosed()
    {
        var harness = Harness();
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        for (var i = 0; i < 3; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        Assert.Equal(3, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_FailureRatioReached_OpensAndFailsFastWithoutSending()
    {
        var harness = Harness().Script(ScriptedAttempt.Ok(), ScriptedAttempt.Ok());
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        await harness.Call().ResponseAsync;
        await harness.Call().ResponseAsync;
        await harness.FailAsync();
        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        await harness.FailAsync();

        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
        using var call = harness.Call();
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal("circuit open for 'orders'", failure.Status.Detail);
        Assert.Equal(StatusCode.Unavailable, call.GetStatus().StatusCode);
        Assert.Equal(4, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_FailedAttemptsThatRetrySucceeds_DoNotOpenTheCircuit()
    {
        // One dead instance among healthy ones: every call's first attempt fails, its retry succeeds (jitter 0: no wait).
        var harness = new PolicyHarness(o =>
        {
            o.Retry.MaxAttempts = 2;
            o.CircuitBreaker.MinimumThroughput = 4;
            o.CircuitBreaker.FailureRatio = 0.5;
        });
        for (var i = 0; i < 10; i++)
        {
            harness.Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok());
        }

        for (var i = 0; i < 10; i++)
        {
            await harness.Call().ResponseAsync;
        }

        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        Assert.Equal(20, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_ApplicationErrors_CountAsSuccesses()
    {
        var harness = Harness();
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.NotFound);

        for (var i = 0; i < 10; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
    }

    [Fact]
    public async Task AsyncUnaryCall_AfterBreakDuration_HalfOpensAndASuccessfulProbeCloses()
    {
        var harness = await OpenedAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        var probe = ScriptedAttempt.Pending();
        harness.Script(probe);

        using var probeCall = harness.Call();
        await harness.Inner.WaitForAttemptsAsync(5);
        Assert.Equal(CircuitState.HalfOpen, harness.Policy.CircuitState);

        // While the probe is out, everyone else still fails fast.
        var rejected = await harness.FailAsync();
        Assert.Equal("circuit open for 'orders'", rejected.Status.Detail);
        Assert.Equal(5, harness.Inner.Sent.Count);

        probe.Complete("probe");
        Assert.Equal("probe", await probeCall.ResponseAsync);
        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)],
            harness.Observer.Transitions.Select(t => (t.PreviousState, t.State)));

        harness.Inner.Default = () => ScriptedAttempt.Ok();
        await harness.Call().ResponseAsync;
        Assert.Equal(6, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_FailedProbe_OpensAgainForAnotherBreak()
    {
        var harness = await OpenedAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        await harness.FailAsync();
        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
        Assert.Equal(5, harness.Inner.Sent.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(4));
        await harness.FailAsync();
        Assert.Equal(5, harness.Inner.Sent.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Inner.Default = () => ScriptedAttempt.Ok();
        await harness.Call().ResponseAsync;
        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
    }

    [Fact]
    public async Task AsyncUnaryCall_ProbeFailsWithARetriableStatus_ReopensWithoutRetrying()
    {
        // Retries on: a dead service must still see one probe per break, not one per attempt of the probing call.
        var harness = new PolicyHarness(o =>
        {
            o.Retry.MaxAttempts = 3;
            o.CircuitBreaker.MinimumThroughput = 4;
            o.CircuitBreaker.FailureRatio = 0.5;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
        });
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);
        for (var i = 0; i < 4; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
        var sent = harness.Inner.Sent.Count;
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var failure = await harness.FailAsync();
        Assert.Equal("scripted Unavailable", failure.Status.Detail);
        Assert.Equal(sent + 1, harness.Inner.Sent.Count);
        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
        Assert.Equal((CircuitState.HalfOpen, CircuitState.Open), (harness.Observer.Transitions[^1].PreviousState, harness.Observer.Transitions[^1].State));

        Assert.Equal("circuit open for 'orders'", (await harness.FailAsync()).Status.Detail);
        Assert.Equal(sent + 1, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_CancelledProbe_LetsTheNextCallProbe()
    {
        var harness = await OpenedAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        harness.Script(ScriptedAttempt.Pending(), ScriptedAttempt.Ok());

        var probe = harness.Call();
        await harness.Inner.WaitForAttemptsAsync(5);
        probe.Dispose();
        await Assert.ThrowsAsync<RpcException>(() => probe.ResponseAsync);

        Assert.Equal("ok", await harness.Call().ResponseAsync);
        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
    }

    [Fact]
    public async Task AsyncUnaryCall_OldFailuresOutsideTheWindow_DoNotCount()
    {
        var harness = Harness();
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);
        for (var i = 0; i < 3; i++)
        {
            await harness.FailAsync();
        }

        harness.Time.Advance(TimeSpan.FromSeconds(11));
        await harness.FailAsync();

        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_OpenCircuit_FailsFastWithoutSending()
    {
        var harness = await OpenedAsync();

        using var call = harness.Invoker.AsyncClientStreamingCall(TestMethods.ClientStreaming, null, default);
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync("x"));

        Assert.Equal("circuit open for 'orders'", failure.Status.Detail);
        Assert.Equal(4, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_OpenCircuit_FailsFastWithoutSending()
    {
        var harness = await OpenedAsync();

        using var call = harness.Invoker.AsyncDuplexStreamingCall(TestMethods.Duplex, null, default);
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal("circuit open for 'orders'", failure.Status.Detail);
        Assert.Equal(4, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_FailuresBeforeTheFirstMessage_CountTowardsTheBreaker()
    {
        var harness = Harness();
        harness.Inner.Default = () => ScriptedAttempt.Stream(StatusCode.Unavailable);

        for (var i = 0; i < 4; i++)
        {
            using var call = harness.Invoker.AsyncDuplexStreamingCall(TestMethods.Duplex, null, default);
            await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        }

        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
    }

    private static async Task<PolicyHarness> OpenedAsync()
    {
        var harness = Harness();
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);
        for (var i = 0; i < 4; i++)
        {
            await harness.FailAsync();
        }

        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
        return harness;
    }
}
