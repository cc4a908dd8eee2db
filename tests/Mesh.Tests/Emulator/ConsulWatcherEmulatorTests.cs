using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Discovery.Internal;
using Mesh.Internal;
using Mesh.Registries.Consul;
using Mesh.Tests.TestSupport;
using Mesh.Testing.Consul;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Tests.Emulator;

/// <summary>
/// The Consul registry's watch rules (<see cref="ConsulRegistry"/> over <c>ConsulServiceWatcher</c>) against the emulator,
/// through <see cref="IServiceDiscovery"/>, on a fake clock: every pause the watcher takes is a timer the test sees
/// and advances past, so request counts are exact.
/// </summary>
[Collection(FakeClockWatchGroup.Name)]
public sealed class ConsulWatcherEmulatorTests : IAsyncLifetime
{
    private const string HealthPath = "/v1/health/service/web";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan BlockingWait = TimeSpan.FromSeconds(60);
    private readonly SignallingTimeProvider _time = new();
    private ConsulEmulator _consul = null!;
    private ServiceDiscovery _discovery = null!;

    public async Task InitializeAsync()
    {
        _consul = await ConsulEmulator.StartNewAsync(new ConsulEmulatorOptions { TimeProvider = _time });
        var client = new ConsulClient(new HttpClient(), new ConsulClientOptions
        {
            Address = _consul.Address.ToString(), BlockingWait = BlockingWait, MaxResponseBytes = 64 * 1024,
        }, _time);
        var options = new DiscoveryOptions { MinQueryInterval = MinInterval, ErrorBackoff = TimeSpan.FromSeconds(1), MaxErrorBackoff = TimeSpan.FromSeconds(8) };
        _discovery = new ServiceDiscovery(new ConsulRegistry(client, options, _time, NullLogger<ConsulRegistry>.Instance), _time, NullLogger<ServiceDiscovery>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _discovery.DisposeAsync();
        await _consul.DisposeAsync();
    }

    private List<EmulatorRequest> HealthRequests() => [.. _consul.Requests.Where(r => r.Path == HealthPath)];

    /// <summary>Backoff delays are the only timers shorter than the client's 10 s request timeout besides the 100 ms pause.</summary>
    private Task<TimeSpan> NextBackoffAsync() => _time.WaitForTimerAsync(d => d < TimeSpan.FromSeconds(10) && d != MinInterval);

    private static async Task<ServiceSnapshot> WaitForAsync(IServiceWatch watch, Func<ServiceSnapshot, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var snapshot = watch.Current;
        while (!condition(snapshot))
        {
            snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
        }

        return snapshot;
    }

    [Fact]
    public async Task IndexGoesBackwards_AfterAgentReset_KeepsTheLastSnapshotStaleUntilTheInstanceRegistersAgain()
    {
        _consul.RegisterService("web-1", "web", 8080);
        using var watch = _discovery.Watch(ServiceQuery.For("web"));
        await WaitForAsync(watch, s => s.Endpoints.Length == 1);
        await _time.AdvanceWhenScheduledAsync(MinInterval);
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        var parkedOn = _consul.Index;

        _consul.Restart(resetIndex: true); // the agent forgot web-1 (issue 11: callers saw "no healthy instances")
        _time.Advance(BlockingWait); // the parked query waits out its wait, then answers the lower index, empty
        var held = await WaitForAsync(watch, s => s.IsStale);

        Assert.Equal(["web-1"], held.Endpoints.Select(e => e.Id));
        Assert.Contains("restarted", held.LastError, StringComparison.Ordinal);
        var requests = HealthRequests();
        Assert.Equal([false, true], requests.Take(2).Select(r => r.IsBlocking));
        Assert.Contains($"index={parkedOn}", requests[1].Query, StringComparison.Ordinal);
        Assert.True(_consul.Index < parkedOn);

        // The instance registers again at its next heartbeat: the watch, blocked on the agent's new index, sees it.
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        _consul.RegisterService("web-1", "web", 8080);
        var back = await WaitForAsync(watch, s => !s.IsStale);
        Assert.Equal(["web-1"], back.Endpoints.Select(e => e.Id));
        Assert.True(HealthRequests()[^1].IsBlocking);
    }

    [Fact]
    public async Task IndexGoesBackwards_NoInstanceRegistersWithinTheGrace_PublishesTheEmptyList()
    {
        _consul.RegisterService("web-1", "web", 8080);
        using var watch = _discovery.Watch(ServiceQuery.For("web"));
        await WaitForAsync(watch, s => s.Endpoints.Length == 1);
        await _time.AdvanceWhenScheduledAsync(MinInterval);
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);

        _consul.Restart(resetIndex: true);
        _time.Advance(BlockingWait);
        await WaitForAsync(watch, s => s.IsStale);
        // Blocked on the new index, the next answer comes after its wait, past the grace: the service is really gone.
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        _time.Advance(BlockingWait);
        var empty = await WaitForAsync(watch, s => s.Endpoints.IsEmpty);

        Assert.False(empty.IsStale);
    }

    [Fact]
    public void AgentDownForAMinute_DefaultBackoff_FreshWithinTwoSecondsOfItsReturn()
    {
        // A minute of failures (issue 11's registry-down scenario: at most one query per 1 s initial backoff, so fewer
        // than 60) must not grow the wait past what lets the watch see the agent's return within 2 s. With the old
        // default (30 s) it grew to 30 s. The fault harness measures the same across processes (fresh 0.06 s after).
        var options = new DiscoveryOptions();

        Assert.InRange(Backoff.Ceiling(60, options.ErrorBackoff, options.MaxErrorBackoff), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.InRange(Backoff.Ceiling(int.MaxValue, options.ErrorBackoff, options.MaxErrorBackoff), TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AgentUnavailable_BacksOffWithGrowingJitter_ThenRecovers()
    {
        _consul.RegisterService("web-1", "web", 8080);
        _consul.Fault = EmulatorFault.Unavailable;
        using var watch = _discovery.Watch(ServiceQuery.For("web"));

        var stale = await WaitForAsync(watch, s => s.IsStale);
        Assert.Contains("No cluster leader", stale.LastError, StringComparison.Ordinal);
        var failures = 0;
        foreach (var ceiling in new[] { 1, 2, 4, 8, 8 })
        {
            var delay = await NextBackoffAsync();
            failures++;
            Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(ceiling));
            Assert.Equal(failures, _consul.CountRequests(HealthPath)); // exactly one query per backoff
            if (failures == 5)
            {
                _consul.Fault = EmulatorFault.None; // while the watch waits: its next query is answered
            }

            _time.Advance(delay);
        }

        var recovered = await WaitForAsync(watch, s => !s.IsStale);

        Assert.Equal(["web-1"], recovered.Endpoints.Select(e => e.Id));
        Assert.Null(recovered.LastError);
        Assert.False(HealthRequests()[^1].IsBlocking); // an error resets the index, so the agent is read at once
    }

    [Theory]
    [InlineData(EmulatorFault.Garbage, "not the expected JSON")]
    [InlineData(EmulatorFault.Oversized, "byte limit")]
    [InlineData(EmulatorFault.Unavailable, "No cluster leader")]
    [InlineData(EmulatorFault.ServiceUnavailable, "503")]
    [InlineData(EmulatorFault.Disconnect, "could not be reached")]
    public async Task BadAnswer_KeepsLastKnownGoodAsStale_ThenRecovers(EmulatorFault fault, string reason)
    {
        _consul.OversizedBytes = 1024 * 1024;
        _consul.RegisterService("web-1", "web", 8080);
        using var watch = _discovery.Watch(ServiceQuery.For("web"));
        await WaitForAsync(watch, s => s.Endpoints.Length == 1);
        await _time.AdvanceWhenScheduledAsync(MinInterval);
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);

        _consul.Fault = fault; // the parked query was admitted before: it still answers normally
        _consul.RegisterService("web-2", "web", 8081);
        var good = await WaitForAsync(watch, s => s.Endpoints.Length == 2);
        await _time.AdvanceWhenScheduledAsync(MinInterval);
        var stale = await WaitForAsync(watch, s => s.IsStale);

        Assert.Equal(["web-1", "web-2"], stale.Endpoints.Select(e => e.Id));
        Assert.Equal(good.LastUpdated, stale.LastUpdated);
        Assert.Contains(reason, stale.LastError, StringComparison.Ordinal);

        _consul.Fault = EmulatorFault.None;
        _time.Advance(await NextBackoffAsync());
        var recovered = await WaitForAsync(watch, s => !s.IsStale);
        Assert.Equal(2, recovered.Endpoints.Length);
        Assert.Null(recovered.LastError);
    }

    [Fact]
    public async Task AgentAnswersAtOnce_MinQueryIntervalBoundsTheRate()
    {
        _consul.BlockingQueriesEnabled = false; // every query returns at once, like a cache in front of the agent
        _consul.RegisterService("web-1", "web", 8080);
        using var watch = _discovery.Watch(ServiceQuery.For("web"));
        await WaitForAsync(watch, s => s.Endpoints.Length == 1);

        for (var queries = 1; queries <= 5; queries++)
        {
            await _time.WaitForTimerAsync(d => d == MinInterval);
            Assert.Equal(queries, _consul.CountRequests(HealthPath));
            _time.Advance(MinInterval);
        }

        await _time.WaitForTimerAsync(d => d == MinInterval);
        Assert.Equal(6, _consul.CountRequests(HealthPath)); // 6 queries in 500 ms of (fake) time: 10 per second at most
        Assert.All(HealthRequests().Skip(1), r => Assert.True(r.IsBlocking));
    }
}
