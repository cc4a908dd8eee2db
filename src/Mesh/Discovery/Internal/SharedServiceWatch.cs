using System.Collections.Immutable;
using Mesh.Telemetry.Internal;
using Microsoft.Extensions.Logging;

namespace Mesh.Discovery.Internal;

/// <summary>
/// The one watch of a query in this process. It runs the registry's watcher, turns its answers into immutable
/// snapshots (publishing only real changes), keeps the last good endpoints while the registry fails, and fans
/// snapshots out to subscribers and waiters.
/// </summary>
internal sealed partial class SharedServiceWatch : IServiceWatchObserver, IAsyncDisposable
{
    private readonly IServiceWatcher _watcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private ImmutableArray<SnapshotSubscription> _subscriptions = [];
    private TaskCompletionSource<ServiceSnapshot> _nextChange = NewChangeSource();
    private ServiceSnapshot _current;
    private int _references;
    private int _stopped;
    private Task _run = Task.CompletedTask;

    public SharedServiceWatch(ServiceQuery query, IServiceWatcher watcher, TimeProvider timeProvider, ILogger logger, MeshMetrics? metrics = null)
    {
        _metrics = metrics;
        Query = query;
        _watcher = watcher;
        _timeProvider = timeProvider;
        _logger = logger;
        _current = ServiceSnapshot.Empty(query);
    }

    public ServiceQuery Query { get; }

    public ServiceSnapshot Current => Volatile.Read(ref _current);

    public void AddReference() => _references++;

    public int RemoveReference() => --_references;

    public void Start()
    {
        Log.WatchStarted(_logger, Query);
        _run = Task.Run(RunAsync);
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await _run.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        _stop.Dispose();
        Log.WatchStopped(_logger, Query);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public IDisposable Subscribe(Action<ServiceSnapshot> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var subscription = new SnapshotSubscription(onChange, Unsubscribe, ex => Log.SubscriberFailed(_logger, Query, ex));
        lock (_lock)
        {
            _subscriptions = _subscriptions.Add(subscription);
        }

        return subscription;
    }

    public async Task<ServiceSnapshot> WaitForChangeAsync(long afterVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Read the signal before the snapshot so a publish in between is never missed.
            var next = Volatile.Read(ref _nextChange).Task;
            var current = Current;
            if (current.Version > afterVersion)
            {
                return current;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void OnEndpoints(IReadOnlyList<ServiceEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var sorted = endpoints.OrderBy(e => e.Id, StringComparer.Ordinal).ToImmutableArray();
        lock (_lock)
        {
            var current = _current;
            if (current.HasResolved && !current.IsStale && current.Endpoints.SequenceEqual(sorted))
            {
                return;
            }

            if (current.IsStale)
            {
                var staleFor = current.StalenessAt(_timeProvider.GetUtcNow());
                Log.Recovered(_logger, Query, staleFor.TotalSeconds);
            }

            Log.EndpointsChanged(_logger, Query, current.Endpoints.Length, sorted.Length);
            _metrics?.EndpointsChanged(Query);
            PublishLocked(current.WithEndpoints(sorted, _timeProvider.GetUtcNow()));
        }
    }

    public void OnError(string reason, Exception? exception)
    {
        lock (_lock)
        {
            var current = _current;
            if (current.IsStale && current.LastError == reason)
            {
                return; // log and publish once per outage reason, not once per retry
            }

            Log.KeepingLastKnownGood(_logger, Query, reason, current.Endpoints.Length, exception);
            PublishLocked(current.WithError(reason, _timeProvider.GetUtcNow()));
        }
    }

    private void PublishLocked(ServiceSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        var signal = Interlocked.Exchange(ref _nextChange, NewChangeSource());
        signal.TrySetResult(snapshot);
        foreach (var subscription in _subscriptions)
        {
            subscription.Post(snapshot);
        }
    }

    private void Unsubscribe(SnapshotSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = _subscriptions.Remove(subscription);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await _watcher.WatchAsync(Query, this, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A watcher bug must surface as staleness, not as an unobserved task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.WatcherCrashed(_logger, Query, ex);
            OnError($"The {_watcher.GetType().Name} stopped: {ex.Message}", ex);
        }
    }

    private static TaskCompletionSource<ServiceSnapshot> NewChangeSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
