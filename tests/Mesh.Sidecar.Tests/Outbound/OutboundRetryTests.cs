using System.Net;
using Mesh.Resilience;
using Mesh.Sidecar.Errors;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// Retries in the outbound door follow the library's policy (<c>Retry:MaxAttempts</c>, Unavailable retried) and the
/// sidecar's own rule: only a body of at most <c>Mesh:Sidecar:MaxRetryBodyBytes</c> is kept to be sent again; the
/// retry budget caps them, a retry keeps to the preferred instances, and one the breaker refuses ends with the failure.
/// </summary>
public sealed class OutboundRetryTests
{
    [Theory]
    [InlineData(1024, 3)]
    [InlineData(100 * 1024, 1)]
    public async Task IdempotentPut_ToADeadApp_IsRetriedOnlyWhenItsBodyCanBeReplayed(int bodyBytes, int expectedAttempts)
    {
        var app = await PythonHttpApp.StartAsync();
        var attempts = new AttemptCounter();
        await using var mesh = await TwoSidecars.StartAsync([app.Port], configureCaller: builder => builder.Services.AddSingleton<ICallPolicyObserver>(attempts));
        await app.DisposeAsync(); // the callee's sidecar now answers 502 (Unavailable) for every attempt
        using var http = new HttpClient { BaseAddress = mesh.UpstreamUri };

        using var response = await http.PutAsync(new Uri("/upload", UriKind.Relative), new ByteArrayContent(new byte[bodyBytes]));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // the last attempt's answer, passed on
        Assert.Equal(expectedAttempts, attempts.Count);
    }

    [Fact]
    public async Task RetriesOfAFailingService_StayWithinTheBudget_CountedAtTheInstance()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var caller = await CallerSidecar.StartAsync([app.Port], new()
        {
            ["Mesh:Services:orders:Policy:Budget:RetryRatio"] = "0.2",
            ["Mesh:Services:orders:Policy:Budget:MinRetriesPerSecond"] = "1",
            ["Mesh:Services:orders:Policy:Budget:Ttl"] = "00:00:05",
            ["Mesh:Services:orders:Policy:CircuitBreaker:Enabled"] = "false",
            ["Mesh:Services:orders:Balancing:OutlierDetection:Enabled"] = "false",
        }, new SignallingTimeProvider()); // time stands still: every call is in one budget window

        const int Calls = 20;
        for (var i = 0; i < Calls; i++)
        {
            using var response = await caller.Http.GetAsync(new Uri("/unavailable?pushback=0", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        // MaxAttempts 3 would make 60 attempts; the budget allows calls × ratio + floor (1/s over a 5 s window) retries.
        var attempts = await app.HitsAsync();
        Assert.InRange(attempts, Calls + 1, Calls + (Calls * 0.2) + 5);
    }

    [Fact]
    public async Task ARetryAwayFromAFailedInstance_KeepsToThePreferredTag()
    {
        var apps = new[] { await PythonHttpApp.StartAsync(), await PythonHttpApp.StartAsync(), await PythonHttpApp.StartAsync() };
        var far = apps[2];
        try
        {
            Dictionary<string, string?> Tagged(string tag) => new() { ["Mesh:Registration:Tags:0"] = tag };
            await using var mesh = await TwoSidecars.StartAsync([.. apps.Select(a => a.Port)], new()
            {
                ["Mesh:Services:orders:Balancing:PreferTag"] = "near",
                ["Mesh:Services:orders:Balancing:OutlierDetection:Enabled"] = "false",
            }, calleeSettings: [Tagged("near"), Tagged("near"), Tagged("far")]);
            await apps[0].DisposeAsync(); // a near instance's app dies; its sidecar answers 502
            using var http = new HttpClient { BaseAddress = mesh.UpstreamUri };

            for (var i = 0; i < 12; i++)
            {
                using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(0, await far.HitsAsync()); // every retry went to the other near instance
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ARetryTheBreakerRefusesAfterItsBackoff_EndsWithTheInstancesFailure_NotCircuitOpen()
    {
        await using var app = await PythonHttpApp.StartAsync();
        var time = new SignallingTimeProvider();
        await using var caller = await CallerSidecar.StartAsync([app.Port], new()
        {
            ["Mesh:Services:orders:Policy:CircuitBreaker:MinimumThroughput"] = "2",
            ["Mesh:Services:orders:Policy:CircuitBreaker:BreakDuration"] = "00:10:00",
        }, time);

        // A call is retried after the minute its instance asks for; meanwhile two whose answers forbid a retry open the breaker.
        var retried = caller.Http.GetAsync(new Uri("/unavailable?pushback=60000", UriKind.Relative));
        await time.WaitForTimerAsync(due => due == TimeSpan.FromMinutes(1));
        for (var i = 0; i < 2; i++)
        {
            using var failed = await caller.Http.GetAsync(new Uri("/unavailable?pushback=-1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        Assert.Equal("Open", (await caller.UpstreamAsync()).GetProperty("breaker").GetString());
        time.Advance(TimeSpan.FromMinutes(1));
        using var response = await retried;

        // As the library's calls (and a retry the budget denies): the call ends with what the service last answered.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains(ProxyErrorResponder.ErrorHeader), "answered as circuit-open");
        Assert.Equal(3, await app.HitsAsync());
    }

    private sealed class AttemptCounter : ICallPolicyObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnAttemptStarted(in AttemptStartedArguments arguments)
        {
            if (arguments.ServiceName == "orders")
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
