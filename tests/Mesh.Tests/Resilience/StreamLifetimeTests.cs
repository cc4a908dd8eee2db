using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

/// <summary>
/// A stream read to its end is over even if its caller never disposes it (grpc-dotnet allows that): it must let go of
/// the caller's token. Calls made while handling an incoming call link the two tokens in a source registered on both;
/// kept until disposal, one registration per stream piles up on a long-lived token such as the app's stopping token.
/// </summary>
public sealed class StreamLifetimeTests
{
    [Fact]
    public async Task AsyncServerStreamingCall_ReadToTheEndNotDisposed_LetsGoOfTheCallersToken()
    {
        using var appStopping = new CancellationTokenSource();
        using var incoming = new CancellationTokenSource();
        var harness = Harness(incoming.Token).Script(ScriptedAttempt.Stream(StatusCode.OK, "a"));

        var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, new CallOptions(cancellationToken: appStopping.Token), "request");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));

        await AssertReleasedAsync(appStopping, harness);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task AsyncServerStreamingCall_FailureReadNotDisposed_LetsGoOfTheCallersToken()
    {
        using var appStopping = new CancellationTokenSource();
        using var incoming = new CancellationTokenSource();
        var harness = Harness(incoming.Token).Script(ScriptedAttempt.Stream(StatusCode.InvalidArgument));

        var call = harness.Invoker.AsyncServerStreamingCall(TestMethods.ServerStreaming, null, new CallOptions(cancellationToken: appStopping.Token), "request");
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        await AssertReleasedAsync(appStopping, harness);
    }

    [Fact]
    public async Task AsyncDuplexStreamingCall_ReadToTheEndNotDisposed_LetsGoOfTheCallersToken()
    {
        using var appStopping = new CancellationTokenSource();
        using var incoming = new CancellationTokenSource();
        var harness = Harness(incoming.Token).Script(ScriptedAttempt.Stream(StatusCode.OK, "a", "b"));

        var call = harness.Invoker.AsyncDuplexStreamingCall(TestMethods.Duplex, null, new CallOptions(cancellationToken: appStopping.Token));
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }

        await AssertReleasedAsync(appStopping, harness);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private static PolicyHarness Harness(CancellationToken incoming) =>
        new(callContext: new FixedCallContextSource(new IncomingCallContext(DateTime.MaxValue, incoming)));

    private static async Task AssertReleasedAsync(CancellationTokenSource appStopping, PolicyHarness harness)
    {
        var attemptToken = Assert.Single(harness.Inner.Sent).Options.CancellationToken;
        Assert.NotEqual(appStopping.Token, attemptToken);

        // Still linked, the attempt's token would follow the caller's: its source is still registered on it.
        await appStopping.CancelAsync();
        Assert.False(attemptToken.IsCancellationRequested, "the ended call's token source is still registered on the caller's token");
    }
}
