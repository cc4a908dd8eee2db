using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registries.Local;
using Mesh.Registries.Local.Internal;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Tests.Registries.Local;

public sealed class LocalRegistryTests : IDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mesh-tests-" + Guid.NewGuid().ToString("N"));
    private readonly SignallingTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    // A long poll interval: these tests must see changes through file notifications and lease deadlines.
    private LocalRegistry CreateRegistry() =>
        new(new LocalRegistryOptions { Directory = _directory, PollInterval = TimeSpan.FromMinutes(10) }, _time, NullLogger<LocalRegistry>.Instance);

    private static ServiceRegistration Orders(string id, int port, params string[] tags) =>
        new(id, "orders", "127.0.0.1", port)
        {
            Tags = [.. tags],
            Meta = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("version", "1.2"),
            Check = HealthCheckDefinition.Ttl(Ttl),
            DeregisterCriticalServiceAfter = TimeSpan.FromSeconds(30),
        };

    private RecordingObserver Watch(LocalRegistry registry, ServiceQuery? query = null)
    {
        var observer = new RecordingObserver();
        _ = registry.WatchAsync(query ?? ServiceQuery.For("orders"), observer, _stop.Token);
        return observer;
    }

    private static Func<IReadOnlyList<ServiceEndpoint>, bool> Ids(params string[] ids) =>
        endpoints => endpoints.Select(e => e.Id).Order().SequenceEqual(ids.Order());

    [Fact]
    public async Task Register_AnotherRegistryOnTheSameDirectory_SeesThePassingInstance()
    {
        await CreateRegistry().RegisterAsync(Orders("orders-1", 5001, "zone-a"), default);

        var endpoints = await Watch(CreateRegistry()).WaitForAsync(Ids("orders-1"));

        var endpoint = Assert.Single(endpoints);
        Assert.Equal(("orders", "127.0.0.1", 5001, EndpointHealth.Passing), (endpoint.ServiceName, endpoint.Host, endpoint.Port, endpoint.Health));
        Assert.Equal(["zone-a"], endpoint.Tags.ToArray());
        Assert.Equal("1.2", endpoint.Meta["version"]);
    }

    [Fact]
    public async Task RegisterAndDeregister_WhileWatching_ArriveThroughFileNotificationsWithoutPolling()
    {
        var registrar = CreateRegistry();
        var observer = Watch(CreateRegistry());
        await observer.WaitForAsync(Ids());

        await registrar.RegisterAsync(Orders("orders-1", 5001), default);
        await observer.WaitForAsync(Ids("orders-1"));
        await registrar.RegisterAsync(Orders("orders-2", 5002), default);
        await observer.WaitForAsync(Ids("orders-1", "orders-2"));
        await registrar.DeregisterAsync(Orders("orders-1", 5001), default);
        await observer.WaitForAsync(Ids("orders-2"));
    }

    [Fact]
    public async Task Lease_NotRenewed_InstanceLeavesAtExpiry()
    {
        var registrar = CreateRegistry();
        await registrar.RegisterAsync(Orders("orders-1", 5001), default);
        var observer = Watch(CreateRegistry());
        await observer.WaitForAsync(Ids("orders-1"));

        // The watch wakes itself at the lease deadline: no file changes, no poll.
        await _time.AdvanceWhenScheduledAsync(Ttl);

        await observer.WaitForAsync(Ids());
        Assert.Equal(HeartbeatResult.Renewed, await registrar.HeartbeatAsync(Orders("orders-1", 5001), RegistrationHealth.Passing, default));
        await observer.WaitForAsync(Ids("orders-1"));
    }

    [Fact]
    public async Task Heartbeat_RenewsTheLease_InstanceStaysPastTheFirstTtl()
    {
        var registrar = CreateRegistry();
        var registration = Orders("orders-1", 5001);
        await registrar.RegisterAsync(registration, default);
        Assert.Equal(Ttl / 3, registrar.GetHeartbeatInterval(registration));

        for (var beat = 0; beat < 6; beat++)
        {
            _time.Advance(Ttl / 3);
            Assert.Equal(HeartbeatResult.Renewed, await registrar.HeartbeatAsync(registration, RegistrationHealth.Passing, default));
        }

        // Two TTLs later a fresh watch still finds it passing.
        await Watch(CreateRegistry()).WaitForAsync(Ids("orders-1"));
    }

    [Fact]
    public async Task ExpiredLongerThanDeregisterCriticalServiceAfter_EntryIsRemovedAndHeartbeatAsksToRegisterAgain()
    {
        var registrar = CreateRegistry();
        var registration = Orders("orders-1", 5001);
        await registrar.RegisterAsync(registration, default);
        var path = new LocalEntryStore(_directory).EntryPath("orders", "orders-1");
        Assert.True(File.Exists(path));

        _time.Advance(Ttl + registration.DeregisterCriticalServiceAfter);
        await Watch(CreateRegistry()).WaitForAsync(Ids());

        Assert.False(File.Exists(path));
        Assert.Equal(HeartbeatResult.NotRegistered, await registrar.HeartbeatAsync(registration, RegistrationHealth.Passing, default));
    }

    [Fact]
    public async Task Maintenance_TakesTheInstanceOutAndBackIn()
    {
        var registrar = CreateRegistry();
        var registration = Orders("orders-1", 5001);
        await registrar.RegisterAsync(registration, default);
        var observer = Watch(CreateRegistry());
        await observer.WaitForAsync(Ids("orders-1"));

        await registrar.SetMaintenanceAsync(registration, true, "draining", default);
        await observer.WaitForAsync(Ids());
        // A heartbeat during maintenance must not put the instance back.
        await registrar.HeartbeatAsync(registration, RegistrationHealth.Passing, default);
        Assert.Empty((await Watch(CreateRegistry()).WaitForAsync(_ => true)));

        await registrar.SetMaintenanceAsync(registration, false, null, default);
        await observer.WaitForAsync(Ids("orders-1"));
    }

    [Fact]
    public async Task HealthAndTagFilters_MatchConsulSemantics()
    {
        var registrar = CreateRegistry();
        await registrar.RegisterAsync(Orders("passing-a", 5001, "zone-a"), default);
        await registrar.RegisterAsync(Orders("warning-a", 5002, "zone-a"), default);
        await registrar.RegisterAsync(Orders("critical-b", 5003, "zone-b"), default);
        await registrar.HeartbeatAsync(Orders("warning-a", 5002, "zone-a"), new RegistrationHealth(EndpointHealth.Warning, "slow disk"), default);
        await registrar.HeartbeatAsync(Orders("critical-b", 5003, "zone-b"), new RegistrationHealth(EndpointHealth.Critical, "db down"), default);
        var watcher = CreateRegistry();

        await Watch(watcher).WaitForAsync(Ids("passing-a"));
        var withWarning = await Watch(watcher, ServiceQuery.For("orders") with { IncludeWarning = true }).WaitForAsync(Ids("passing-a", "warning-a"));
        Assert.Equal(EndpointHealth.Warning, withWarning.Single(e => e.Id == "warning-a").Health);
        await Watch(watcher, ServiceQuery.For("orders") with { Tag = "zone-b", IncludeWarning = true }).WaitForAsync(Ids());
        await Watch(watcher, ServiceQuery.For("orders") with { Tag = "zone-a" }).WaitForAsync(Ids("passing-a"));
        await Watch(watcher, ServiceQuery.For("billing")).WaitForAsync(Ids());
    }

    [Fact]
    public async Task DamagedFile_IsSkipped_GoodEntriesStillListed()
    {
        var registrar = CreateRegistry();
        await registrar.RegisterAsync(Orders("orders-1", 5001), default);
        var store = new LocalEntryStore(_directory);
        await File.WriteAllTextAsync(store.EntryPath("orders", "broken"), "{ not json");
        await File.WriteAllTextAsync(store.EntryPath("orders", "no-port"), """{"id":"no-port","service":"orders","address":"127.0.0.1","port":0,"leaseExpiresUnixMs":99999999999999,"deregisterCriticalAfterMs":1}""");

        var observer = Watch(CreateRegistry());

        await observer.WaitForAsync(Ids("orders-1"));
        Assert.Empty(observer.Errors);
    }

    [Fact]
    public async Task IdsWithUnsafeCharacters_GetDistinctFiles()
    {
        var registrar = CreateRegistry();
        await registrar.RegisterAsync(Orders("a/b", 5001), default);
        await registrar.RegisterAsync(Orders("a%2Fb", 5002), default);
        await registrar.RegisterAsync(Orders(".hidden", 5003), default);

        await Watch(CreateRegistry()).WaitForAsync(Ids("a/b", "a%2Fb", ".hidden"));
        Assert.All(Directory.GetFiles(Path.Combine(_directory, "orders")), f => Assert.EndsWith(".json", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutFileNotifications_PollingFindsTheChange()
    {
        var poll = TimeSpan.FromSeconds(1);
        var watcher = new LocalRegistry(new LocalRegistryOptions { Directory = _directory, PollInterval = poll, UseFileNotifications = false }, _time, NullLogger<LocalRegistry>.Instance);
        var observer = Watch(watcher);
        await observer.WaitForAsync(Ids());
        await _time.WaitForTimerAsync(due => due == poll);

        await CreateRegistry().RegisterAsync(Orders("orders-1", 5001), default);
        Assert.Empty(observer.Latest!);

        _time.Advance(poll);
        await observer.WaitForAsync(Ids("orders-1"));
    }
}
