using Grpc.Core;

namespace Mesh.Tests.Resilience;

public sealed class ObserverTests
{
    [Fact]
    public async Task DisabledObserver_HearsNoCallEvents_UntilEnabledAgain()
    {
        var harness = new PolicyHarness().Script(ScriptedAttempt.Fail(StatusCode.Unavailable), ScriptedAttempt.Ok(), ScriptedAttempt.Ok());
        harness.Observer.IsEnabled = false;

        await harness.Call().ResponseAsync; // one retry, unobserved

        Assert.Empty(harness.Observer.Started);
        Assert.Empty(harness.Observer.Finished);

        harness.Observer.IsEnabled = true;
        await harness.Call().ResponseAsync;

        Assert.Single(harness.Observer.Started);
        Assert.Single(harness.Observer.Finished);
    }

    [Fact]
    public async Task DisabledObserver_StillHearsCircuitTransitions()
    {
        var harness = new PolicyHarness(o =>
        {
            o.Retry.MaxAttempts = 1;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        harness.Observer.IsEnabled = false;
        harness.Inner.Default = () => ScriptedAttempt.Fail(StatusCode.Unavailable);

        await harness.FailAsync();
        await harness.FailAsync();

        Assert.Equal(Mesh.Resilience.CircuitState.Open, Assert.Single(harness.Observer.Transitions).State);
        Assert.Empty(harness.Observer.Finished);
    }
}
