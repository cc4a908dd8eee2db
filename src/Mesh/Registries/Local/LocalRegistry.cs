using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registries.Local.Internal;
using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Local;

/// <summary>
/// The Local registry, the embedded default when no Consul is configured: a directory shared by the processes of
/// one machine, one file per instance (<c>&lt;directory&gt;/&lt;service&gt;/&lt;id&gt;.json</c>). An instance holds a lease
/// (its TTL check, or <see cref="LocalRegistryDefaults.Lease"/>) renewed by the registration heartbeat; one that
/// stops renewing turns critical when the lease runs out and is removed after its
/// <see cref="ServiceRegistration.DeregisterCriticalServiceAfter"/>, like a Consul TTL check.
/// Watchers follow the directory with file notifications and a polling fallback.
/// </summary>
public sealed class LocalRegistry : IServiceRegistrar, IServiceWatcher
{
    private readonly LocalEntryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;
    private readonly bool _useFileNotifications;
    private readonly ILogger _logger;
    // One writer at a time per registry: a heartbeat and a maintenance switch must not undo each other.
    // The files are small and local, so plain synchronous IO under a lock is the cheap and simple choice.
    private readonly Lock _writeLock = new();

    /// <summary>Creates the registry.</summary>
    /// <param name="options">The directory and poll interval.</param>
    /// <param name="timeProvider">The clock for leases and polling.</param>
    /// <param name="logger">A logger.</param>
    public LocalRegistry(LocalRegistryOptions options, TimeProvider timeProvider, ILogger<LocalRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = new LocalEntryStore(string.IsNullOrWhiteSpace(options.Directory) ? LocalRegistryDefaults.Directory : options.Directory);
        _pollInterval = options.PollInterval > TimeSpan.Zero ? options.PollInterval : LocalRegistryDefaults.PollInterval;
        _useFileNotifications = options.UseFileNotifications;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets the full path of the registry's directory.</summary>
    public string Directory => _store.Root;

    /// <inheritdoc />
    /// <remarks>Always a third of the lease, whatever the check kind: the lease is what keeps the entry alive.</remarks>
    public TimeSpan? GetHeartbeatInterval(ServiceRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return LeaseOf(registration) / 3;
    }

    /// <inheritdoc />
    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Update(registration, _ => ToEntry(registration, RegistrationHealth.Passing, maintenance: false, maintenanceReason: null));
        LocalRegistryLog.Registered(_logger, registration.Id, registration.Name, _store.Root);

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<HeartbeatResult> HeartbeatAsync(ServiceRegistration registration, RegistrationHealth health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var renewed = Update(
            registration,
            current => current is null ? null : ToEntry(registration, health, current.Maintenance, current.MaintenanceReason));
        // Gone means a reader reaped it after a long pause (a suspended laptop): register again, as after an agent restart.
        return Task.FromResult(renewed ? HeartbeatResult.Renewed : HeartbeatResult.NotRegistered);
    }

    /// <inheritdoc />
    public Task SetMaintenanceAsync(ServiceRegistration registration, bool enable, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Update(registration, current => current is null ? null : current with
        {
            Maintenance = enable,
            MaintenanceReason = enable ? reason : null,
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeregisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_writeLock)
        {
            // Deleting an entry that is already gone is success, as Consul answers for an unknown id.
            File.Delete(_store.EntryPath(registration.Name, registration.Id));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(observer);
        using var watch = new LocalServiceWatch(_store, query, observer, _timeProvider, _pollInterval, _useFileNotifications, _logger);
        try
        {
            await watch.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan LeaseOf(ServiceRegistration registration) =>
        registration.Check.Kind == HealthCheckKind.Ttl ? registration.Check.TimeToLive : LocalRegistryDefaults.Lease;

    private LocalEntry ToEntry(ServiceRegistration registration, RegistrationHealth health, bool maintenance, string? maintenanceReason) => new()
    {
        Id = registration.Id,
        Service = registration.Name,
        Address = registration.Address,
        Port = registration.Port,
        Tags = registration.Tags,
        Meta = registration.Meta,
        Status = LocalStatus.From(health.Status),
        Output = health.Output,
        Maintenance = maintenance,
        MaintenanceReason = maintenanceReason,
        LeaseExpiresUnixMs = (_timeProvider.GetUtcNow() + LeaseOf(registration)).ToUnixTimeMilliseconds(),
        DeregisterCriticalAfterMs = (long)registration.DeregisterCriticalServiceAfter.TotalMilliseconds,
        ProcessId = Environment.ProcessId,
    };

    /// <summary>Reads this instance's entry, lets <paramref name="update"/> replace it, and writes the result.</summary>
    /// <returns><see langword="false"/> when <paramref name="update"/> returned <see langword="null"/> (nothing written).</returns>
    private bool Update(ServiceRegistration registration, Func<LocalEntry?, LocalEntry?> update)
    {
        lock (_writeLock)
        {
            LocalEntry? current;
            try
            {
                current = LocalEntryStore.Read(_store.EntryPath(registration.Name, registration.Id));
            }
            catch (System.Text.Json.JsonException)
            {
                // Our own file damaged (a disk full mid-write before rename cannot do this, but an editor can).
                current = null;
            }

            if (update(current) is not { } next)
            {
                return false;
            }

            _store.Write(next);
            return true;
        }
    }
}
