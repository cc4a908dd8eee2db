using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

public sealed class StreamingTests
{
    [Fact]
    public async Task AsyncServerStreamingCall_FailsBeforeFirstMessage_RetriesOnAFreshCall()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Stream(StatusCode.Unavailable), ScriptedAttempt.Stream(StatusCode.OK, "a", "b"));

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        var messages = await ReadAllAsync(call.ResponseStream);

        Assert.Equal(["a", "b"], messages);
        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_FailsAfterFirstMessage_IsNotRetried()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Stream(StatusCode.Unavailable, "a"), ScriptedAttempt.Stream(StatusCode.OK, "never"));

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("a", call.ResponseStream.Current);
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_HeadersReadFirst_RetriesFailedConnectionsThenCommits()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Stream(StatusCode.OK, "x"));

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        var headers = await call.ResponseHeadersAsync;

        Assert.NotNull(headers.GetValue("attempt"));
        Assert.Equal(["x"], await ReadAllAsync(call.ResponseStream));
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_HeadersArriveWhileTheirFailedAttemptIsBeingRetried_CallFollowsTheRetry()
    {
        // The caller reads headers and messages at once; the first attempt fails right after its headers, and the
        // headers reader wakes up only while the retry is being sent (a thread-pool race, forced here).
        var first = ScriptedAttempt.Pending().HoldHeaders();
        var second = ScriptedAttempt.Stream(StatusCode.OK, "second");
        var harness = new PolicyHarness().Script(first, second);
        harness.Inner.OnSent = sent =>
        {
            if (sent.Script == second)
            {
                first.ReleaseHeaders();
            }
        };

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        var headers = call.ResponseHeadersAsync;
        var moved = call.ResponseStream.MoveNext(CancellationToken.None);
        first.CompleteWith(StatusCode.Unavailable);

        Assert.True(await moved.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("second", call.ResponseStream.Current);
        Assert.Equal((await second.Headers).GetValue("attempt"), (await headers).GetValue("attempt"));
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_StreamingTimeout_AppliesInsteadOfTheUnaryTimeout()
    {
        var harness = new PolicyHarness(o => o.StreamingTimeout = TimeSpan.FromMinutes(10));
        harness.Inner.Default = () => ScriptedAttempt.Stream(StatusCode.OK);
        var expected = harness.Time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(10);

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        await ReadAllAsync(call.ResponseStream);

        Assert.Equal(expected, harness.Inner.Sent[0].Options.Deadline);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_DefaultPolicy_SendsNoDeadline()
    {
        var harness = new PolicyHarness();
        harness.Inner.Default = () => ScriptedAttempt.Stream(StatusCode.OK);

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        await ReadAllAsync(call.ResponseStream);

        Assert.Null(harness.Inner.Sent[0].Options.Deadline);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_OpenCircuit_FailsAtFirstRead()
    {
        var harness = new PolicyHarness(o =>
        {
            o.Retry.MaxAttempts = 1;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        harness.Inner.Default = () => ScriptedAttempt.Stream(StatusCode.Unavailable);
        for (var i = 0; i < 2; i++)
        {
            using var failing = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
            await Assert.ThrowsAsync<RpcException>(() => failing.ResponseStream.MoveNext(CancellationToken.None));
        }

        using var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, default, "request");
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
        Assert.Equal("circuit open for 'orders'", failure.Status.Detail);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncClientStreamingCall_Failure_IsNotRetried()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable));

        using var call = harness.Invoker.AsyncClientStreamingCall(TestMethods.ClientStreaming, null, default);
        await call.RequestStream.WriteAsync("x");
        await call.RequestStream.CompleteAsync();

        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Single(harness.Inner.Sent);
        Assert.Equal(StatusCode.Unavailable, Assert.Single(harness.Observer.Finished).Status.StatusCode);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_PassesMessagesThrough()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Stream(StatusCode.OK, "1", "2", "3"));

        using var call = harness.Invoker.AsyncDuplexStreamingCall(TestMethods.Duplex, null, default);

        Assert.Equal(["1", "2", "3"], await ReadAllAsync(call.ResponseStream));
        Assert.Equal(StatusCode.OK, Assert.Single(harness.Observer.Finished).Status.StatusCode);
    }

    private static async Task<List<string>> ReadAllAsync(IAsyncStreamReader<string> reader)
    {
        var messages = new List<string>();
        while (await reader.MoveNext(CancellationToken.None))
        {
            messages.Add(reader.Current);
        }

        return messages;
    }
}
