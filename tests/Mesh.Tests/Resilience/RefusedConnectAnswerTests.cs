using Grpc.Core;

namespace Mesh.Tests.Resilience;

/// <summary>
/// What a caller reads when the attempt that ended its call had its connect refused: Mesh's answer naming the
/// service, as when every instance refuses, not gRPC's raw socket error (which stays the status's debug exception).
/// </summary>
public sealed class RefusedConnectAnswerTests
{
    [Fact]
    public async Task AsyncUnaryCall_RefusedWithNoRetryLeft_NamesTheServiceAndKeepsTheCause()
    {
        var harness = new PolicyHarness(o => o.Retry.MaxAttempts = 1).Script(ScriptedAttempt.Refused());

        var failure = await harness.FailAsync();

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal("no reachable instances of 'orders': the instance tried refused its connection, and no retry was left", failure.Status.Detail);
        Assert.Equal(HttpRequestError.ConnectionError, Assert.IsType<HttpRequestException>(failure.Status.DebugException).HttpRequestError);
    }

    [Fact]
    public async Task AsyncUnaryCall_RefusedThenRetried_AnswersFromTheNextInstance()
    {
        var harness = new PolicyHarness(o => o.Retry.MaxAttempts = 2).Script(ScriptedAttempt.Refused(), ScriptedAttempt.Ok("from b"));

        using var call = harness.Call(); // the harness's jitter is 0: no backoff to wait out

        Assert.Equal("from b", await call.ResponseAsync);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_UnavailableFromTheService_ReachesTheCallerAsItIs()
    {
        var harness = new PolicyHarness(o => o.Retry.MaxAttempts = 1).Script(ScriptedAttempt.Fail(StatusCode.Unavailable, detail: "shutting down"));

        var failure = await harness.FailAsync();

        Assert.Equal("shutting down", failure.Status.Detail);
    }
}
