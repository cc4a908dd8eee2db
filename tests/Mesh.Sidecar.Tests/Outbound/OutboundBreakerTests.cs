using System.Net;
using Mesh.Resilience;
using Mesh.Sidecar.Errors;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>The service's breaker, through the outbound door: it opens on failures, then answers at once without calling the service, and closes after its break time.</summary>
public sealed class OutboundBreakerTests
{
    [Fact]
    public async Task Breaker_OpensOnFailures_FailsFastWith503_ClosesAfterItsBreakTime()
    {
        await using var app = await PythonHttpApp.StartAsync();
        var time = new SignallingTimeProvider();
        var recorder = new PolicyRecorder();
        await using var caller = await CallerSidecar.StartAsync([app.Port], new()
        {
            ["Mesh:Services:orders:Policy:Retry:MaxAttempts"] = "1",
            ["Mesh:Services:orders:Policy:CircuitBreaker:MinimumThroughput"] = "4",
        }, time, builder => builder.Services.AddSingleton<ICallPolicyObserver>(recorder));
        for (var i = 0; i < 4; i++)
        {
            using var failed = await caller.Http.GetAsync(new Uri("/unavailable", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.False(failed.Headers.Contains(ProxyErrorResponder.ErrorHeader)); // the instance's own 503
        }

        using var refused = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
        var hitsWhileOpen = await app.HitsAsync();
        var whileOpen = (await caller.UpstreamAsync()).GetProperty("breaker").GetString();
        time.Advance(CallPolicyDefaults.BreakDuration);
        using var probe = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
        await recorder.WaitForCircuitAsync(CircuitState.Closed); // judged once the answer has been passed on

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("circuit-open", refused.Headers.GetValues(ProxyErrorResponder.ErrorHeader).Single());
        Assert.Equal("circuit open for 'orders'\n", await refused.Content.ReadAsStringAsync());
        Assert.Equal(4, hitsWhileOpen); // failing fast: the refused call never reached the app
        Assert.Equal("Open", whileOpen);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal("Closed", (await caller.UpstreamAsync()).GetProperty("breaker").GetString());
    }
}
