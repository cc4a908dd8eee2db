using System.Collections.Immutable;
using System.Text.Json;
using Mesh.Discovery;
using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Local.Internal;

/// <summary>
/// Follows one query over the Local registry's directory: rescans when a file notification arrives, when the
/// poll interval passes (notifications can be lost or unavailable, e.g. on network shares), and when the next
/// lease runs out, so an instance that stops renewing turns critical on time without any file changing.
/// </summary>
internal sealed class LocalServiceWatch : IDisposable
{
    private readonly LocalEntryStore _store;
    private readonly ServiceQuery _query;
    private readonly IServiceWatchObserver _observer;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly HashSet<string> _reportedBadFiles = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private FileSystemWatcher? _fileWatcher;
    private bool _fileWatcherTried;

    public LocalServiceWatch(LocalEntryStore store, ServiceQuery query, IServiceWatchObserver observer, TimeProvider timeProvider, TimeSpan pollInterval, bool useFileNotifications, ILogger logger)
    {
        // Not trying is the same as having tried and failed: polling only.
        _fileWatcherTried = !useFileNotifications;
        _store = store;
        _query = query;
        _observer = observer;
        _timeProvider = timeProvider;
        _pollInterval = pollInterval;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_query.Filter is not null || _query.Datacenter is not null)
        {
            LocalRegistryLog.QueryPartsIgnored(_logger, _query.ServiceName);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            // A fresh signal before each scan: a change landing mid-scan sets it and triggers one more scan.
            var changed = NewSignal();
            Volatile.Write(ref _changed, changed);
            var wait = _pollInterval;
            try
            {
                EnsureFileWatcher();
                var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                var (endpoints, nextDeadline) = Scan(now);
                _observer.OnEndpoints(endpoints);
                if (nextDeadline is { } deadline)
                {
                    wait = TimeSpan.FromMilliseconds(Math.Clamp(deadline - now, 1, wait.TotalMilliseconds));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _observer.OnError($"cannot read the Local registry directory '{_store.Root}': {ex.Message}", ex);
            }

            await WaitAsync(changed.Task, wait, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _fileWatcher?.Dispose();

    private (List<ServiceEndpoint> Endpoints, long? NextDeadline) Scan(long now)
    {
        var endpoints = new List<ServiceEndpoint>();
        long? nextDeadline = null;
        foreach (var path in _store.EntryFiles(_query.ServiceName))
        {
            if (TryRead(path) is not { } entry)
            {
                continue;
            }

            if (now >= entry.ReapableAtUnixMs)
            {
                // Its owner stopped renewing long ago (a crash): remove it for everyone, as Consul's
                // DeregisterCriticalServiceAfter does.
                if (LocalEntryStore.TryDelete(path))
                {
                    LocalRegistryLog.Reaped(_logger, entry.Id, entry.Service);
                }

                continue;
            }

            var deadline = now < entry.LeaseExpiresUnixMs ? entry.LeaseExpiresUnixMs : entry.ReapableAtUnixMs;
            nextDeadline = nextDeadline is { } d ? Math.Min(d, deadline) : deadline;

            var health = entry.HealthAt(now);
            if (Matches(entry, health))
            {
                endpoints.Add(ToEndpoint(entry, health));
            }
        }

        return (endpoints, nextDeadline);
    }

    private LocalEntry? TryRead(string path)
    {
        try
        {
            var entry = LocalEntryStore.Read(path);
            _reportedBadFiles.Remove(path);
            return entry;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // One bad file must not hide the good ones; say so once per file, not once per scan.
            if (_reportedBadFiles.Add(path))
            {
                LocalRegistryLog.BadEntry(_logger, path, ex.Message);
            }

            return null;
        }
    }

    private bool Matches(LocalEntry entry, EndpointHealth health) =>
        (health == EndpointHealth.Passing || (health == EndpointHealth.Warning && _query.IncludeWarning))
        && string.Equals(entry.Service, _query.ServiceName, StringComparison.Ordinal)
        && (_query.Tag is null || entry.Tags.Contains(_query.Tag, StringComparer.Ordinal));

    private static ServiceEndpoint ToEndpoint(LocalEntry entry, EndpointHealth health) =>
        new(entry.Id, entry.Service, entry.Address, entry.Port)
        {
            Tags = [.. entry.Tags],
            Meta = entry.Meta.ToImmutableDictionary(StringComparer.Ordinal),
            Health = health,
        };

    private void EnsureFileWatcher()
    {
        if (_fileWatcherTried)
        {
            return;
        }

        // The directory must exist to be watched; creating it is harmless and lets a watch start before any
        // instance of the service has registered.
        var directory = Directory.CreateDirectory(_store.ServiceDirectory(_query.ServiceName)).FullName;
        _fileWatcherTried = true;
        var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        try
        {
            watcher.Created += OnFileEvent;
            watcher.Changed += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.Error += (_, _) => Signal();
            watcher.EnableRaisingEvents = true;
            _fileWatcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or ArgumentException)
        {
            // For example the inotify watch limit: polling still finds every change, only later.
            watcher.Dispose();
            LocalRegistryLog.NotificationsUnavailable(_logger, directory, ex.Message);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        // Temporary files come and go on every write; only the rename onto *.json (or a delete) is a change.
        if (LocalEntryStore.IsEntryFile(e.FullPath))
        {
            Signal();
        }
    }

    private void Signal() => Volatile.Read(ref _changed).TrySetResult();

    private async Task WaitAsync(Task changed, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, _timeProvider, timeout.Token);
        await Task.WhenAny(changed, delay).ConfigureAwait(false);
        // Stops the timer when the change won, so a busy directory does not pile up pending timers.
        await timeout.CancelAsync().ConfigureAwait(false);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
