using Mesh.Telemetry.Internal;
using Microsoft.Extensions.Logging;

namespace Mesh.Discovery.Internal;

/// <summary>
/// The process-wide <see cref="IServiceDiscovery"/>: one <see cref="SharedServiceWatch"/> per query, reference counted
/// by the handles callers hold, driven by the configured registry's <see cref="IServiceWatcher"/>.
/// </summary>
internal sealed class ServiceDiscovery : IServiceDiscovery, IAsyncDisposable
{
    private readonly Dictionary<ServiceQuery, SharedServiceWatch> _watches = [];
    private readonly Lock _lock = new();
    private readonly IServiceWatcher _watcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly MeshMetrics? _metrics;
    private bool _disposed;

    public ServiceDiscovery(IServiceWatcher watcher, TimeProvider timeProvider, ILogger<ServiceDiscovery> logger, MeshMetrics? metrics = null)
    {
        _watcher = watcher;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        metrics?.TrackDiscovery(this, CurrentSnapshots);
    }

    /// <summary>Returns the current snapshot of every active watch (for metrics and diagnostics).</summary>
    public IReadOnlyList<ServiceSnapshot> CurrentSnapshots()
    {
        lock (_lock)
        {
            return [.. _watches.Values.Select(w => w.Current)];
        }
    }

    /// <summary>Gets the queries being watched now (for diagnostics and tests).</summary>
    public IReadOnlyCollection<ServiceQuery> ActiveQueries
    {
        get
        {
            lock (_lock)
            {
                return [.. _watches.Keys];
            }
        }
    }

    public IServiceWatch Watch(ServiceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        SharedServiceWatch watch;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_watches.TryGetValue(query, out watch!))
            {
                watch = new SharedServiceWatch(query, _watcher, _timeProvider, _logger, _metrics);
                _watches.Add(query, watch);
                watch.Start();
            }

            watch.AddReference();
        }

        return new ServiceWatchHandle(watch, Release);
    }

    private void Release(SharedServiceWatch watch)
    {
        lock (_lock)
        {
            if (watch.RemoveReference() > 0 || !_watches.Remove(watch.Query))
            {
                return;
            }
        }

        _ = watch.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        SharedServiceWatch[] watches;
        _metrics?.Untrack(this);
        lock (_lock)
        {
            _disposed = true;
            watches = [.. _watches.Values];
            _watches.Clear();
        }

        foreach (var watch in watches)
        {
            await watch.StopAsync().ConfigureAwait(false);
        }
    }
}
