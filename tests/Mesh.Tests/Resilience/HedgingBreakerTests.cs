using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

/// <summary>The breaker counts what callers of a hedged method get, as it does for retried ones.</summary>
public sealed class HedgingBreakerTests
{
    private static PolicyHarness Harness() => new(o =>
    {
        o.Hedging.Enabled = true;
        o.Hedging.MaxAttempts = 3;
        o.Hedging.Delay = TimeSpan.FromMilliseconds(100);
        o.CircuitBreaker.MinimumThroughput = 4;
        o.CircuitBreaker.FailureRatio = 0.5;
    });

    [Fact]
    public async Task AsyncUnaryCall_FailedHedgesThatAnotherHedgeRecovers_DoNotOpenTheCircuit()
    {
        // One dead instance among healthy ones: every call's first attempt fails at once, the hedge it sends succeeds.
        var harness = Harness();
        for (var i = 0; i < 10; i++)
        {
            harness.Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok("hedge"));
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("hedge", await harness.Call(TestMethods.IdempotentUnary).ResponseAsync);
        }

        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        Assert.Equal(20, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task AsyncUnaryCall_EveryHedgeFails_CountsOnceForTheCall()
    {
        var harness = Harness();
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        for (var i = 0; i < 3; i++)
        {
            await harness.FailAsync(TestMethods.IdempotentUnary);
        }

        // Three failed calls of three attempts each: below the minimum throughput of four, all hedges were sent.
        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        Assert.Equal(9, harness.Inner.Sent.Count);

        await harness.FailAsync(TestMethods.IdempotentUnary);
        Assert.Equal(CircuitState.Open, harness.Policy.CircuitState);
    }

    [Fact]
    public async Task AsyncUnaryCall_NonRetriableHedgeFailure_CountsItsOwnStatusNotTheEarlierOne()
    {
        // First attempt Unavailable (a breaker failure), the hedge answers NotFound (the service works): the call
        // ends with NotFound, so four such calls are four successes to the breaker.
        var harness = Harness();
        for (var i = 0; i < 4; i++)
        {
            harness.Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Fail(StatusCode.NotFound));
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(StatusCode.NotFound, (await harness.FailAsync(TestMethods.IdempotentUnary)).StatusCode);
        }

        Assert.Equal(CircuitState.Closed, harness.Policy.CircuitState);
        Assert.Equal(8, harness.Inner.Sent.Count);
    }
}
