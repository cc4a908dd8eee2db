using Mesh.Discovery;
using Mesh.Discovery.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Discovery;

public sealed class ServiceDiscoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly ScriptedWatcher _watcher = new();
    private readonly ServiceDiscovery _discovery;

    public ServiceDiscoveryTests() => _discovery = new ServiceDiscovery(_watcher, _time, NullLogger<ServiceDiscovery>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _discovery.DisposeAsync();

    private static ServiceEndpoint Endpoint(string id, int port) => new(id, "orders", "127.0.0.1", port);

    [Fact]
    public async Task Watch_ManyCallersSameQuery_ShareOneRegistryWatch()
    {
        var query = ServiceQuery.For("orders");
        var handles = Enumerable.Range(0, 20).Select(_ => _discovery.Watch(query)).ToList();
        var observer = await _watcher.ObserverAsync(query);

        observer.OnEndpoints([Endpoint("b", 2), Endpoint("a", 1)]);
        var snapshots = await Task.WhenAll(handles.Select(h => h.WaitForChangeAsync(0).WaitAsync(Bound)));

        Assert.Equal(1, _watcher.StartedCount);
        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
        Assert.Equal(["a", "b"], snapshots[0].Endpoints.Select(e => e.Id)); // sorted by id
        Assert.Single(_discovery.ActiveQueries);
    }

    [Fact]
    public async Task Watch_DifferentFilters_AreSeparateWatches()
    {
        using var all = _discovery.Watch(ServiceQuery.For("orders"));
        using var tagged = _discovery.Watch(ServiceQuery.For("orders") with { Tag = "v2" });
        await _watcher.ObserverAsync(ServiceQuery.For("orders"));
        await _watcher.ObserverAsync(ServiceQuery.For("orders") with { Tag = "v2" });

        Assert.Equal(2, _watcher.StartedCount);
    }

    [Fact]
    public async Task Dispose_LastHandle_StopsTheRegistryWatch()
    {
        var query = ServiceQuery.For("orders");
        var first = _discovery.Watch(query);
        var second = _discovery.Watch(query);
        await _watcher.ObserverAsync(query);

        first.Dispose();
        first.Dispose(); // a second dispose must not release another caller's reference
        Assert.Single(_discovery.ActiveQueries);
        second.Dispose();

        Assert.Empty(_discovery.ActiveQueries);
    }

    [Fact]
    public async Task OnEndpoints_SameSetAgain_PublishesNoNewVersion()
    {
        var query = ServiceQuery.For("orders");
        using var watch = _discovery.Watch(query);
        var observer = await _watcher.ObserverAsync(query);

        observer.OnEndpoints([Endpoint("a", 1)]);
        var first = await watch.WaitForChangeAsync(0).WaitAsync(Bound);
        observer.OnEndpoints([Endpoint("a", 1)]);
        observer.OnEndpoints([Endpoint("a", 1), Endpoint("b", 2)]);
        var second = await watch.WaitForChangeAsync(first.Version).WaitAsync(Bound);

        Assert.Equal(first.Version + 1, second.Version);
        Assert.Equal(2, second.Endpoints.Length);
    }

    [Fact]
    public async Task OnError_AfterGoodAnswer_KeepsLastKnownGoodAndReportsStaleness()
    {
        var query = ServiceQuery.For("orders");
        using var watch = _discovery.Watch(query);
        var observer = await _watcher.ObserverAsync(query);
        observer.OnEndpoints([Endpoint("a", 1), Endpoint("b", 2)]);
        var good = await watch.WaitForChangeAsync(0).WaitAsync(Bound);

        observer.OnError("Consul answered 500: No cluster leader", null);
        var stale = await watch.WaitForChangeAsync(good.Version).WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(42));
        observer.OnError("Consul answered 500: No cluster leader", null); // the same outage is not republished

        Assert.True(stale.IsStale);
        Assert.Equal(good.Endpoints, stale.Endpoints);
        Assert.Equal(good.LastUpdated, stale.LastUpdated);
        Assert.Equal("Consul answered 500: No cluster leader", stale.LastError);
        Assert.Same(stale, watch.Current);
        Assert.Equal(TimeSpan.FromSeconds(42), watch.Current.StalenessAt(_time.GetUtcNow()));

        observer.OnEndpoints([Endpoint("a", 1), Endpoint("b", 2)]);
        var recovered = await watch.WaitForChangeAsync(stale.Version).WaitAsync(Bound);
        Assert.False(recovered.IsStale);
        Assert.Null(recovered.LastError);
    }

    [Fact]
    public async Task OnError_BeforeFirstAnswer_IsStaleAndEmpty()
    {
        var query = ServiceQuery.For("orders");
        using var watch = _discovery.Watch(query);
        var observer = await _watcher.ObserverAsync(query);

        observer.OnError("connection refused", new HttpRequestException("connection refused"));
        var snapshot = await watch.WaitForChangeAsync(0).WaitAsync(Bound);

        Assert.False(snapshot.HasResolved);
        Assert.True(snapshot.IsStale);
        Assert.Empty(snapshot.Endpoints);
    }

    [Fact]
    public async Task Subscribe_ReceivesEachChangeUntilDisposed()
    {
        var query = ServiceQuery.For("orders");
        using var watch = _discovery.Watch(query);
        var observer = await _watcher.ObserverAsync(query);
        var received = new TaskCompletionSource<ServiceSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = watch.Subscribe(s => { if (s.Endpoints.Length == 2) { received.TrySetResult(s); } });

        observer.OnEndpoints([Endpoint("a", 1)]);
        observer.OnEndpoints([Endpoint("a", 1), Endpoint("b", 2)]);
        var snapshot = await received.Task.WaitAsync(Bound);
        subscription.Dispose();

        Assert.Equal(2, snapshot.Endpoints.Length);
    }

    [Fact]
    public async Task Subscribe_ThrowingSubscriber_DoesNotStopOthers()
    {
        var query = ServiceQuery.For("orders");
        using var watch = _discovery.Watch(query);
        var observer = await _watcher.ObserverAsync(query);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bad = watch.Subscribe(_ => throw new InvalidOperationException("bug"));
        using var good = watch.Subscribe(_ => received.TrySetResult());

        observer.OnEndpoints([Endpoint("a", 1)]);

        await received.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task WaitForChange_Cancelled_Throws()
    {
        using var watch = _discovery.Watch(ServiceQuery.For("orders"));
        using var cts = new CancellationTokenSource();
        var wait = watch.WaitForChangeAsync(0, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
