using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Registration;
using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Consul;

/// <summary>
/// The Consul registry: registers through the local agent and watches through blocking queries on
/// <c>/v1/health/service</c>. See <see cref="ConsulServiceWatcher"/> for the watch rules.
/// </summary>
public sealed class ConsulRegistry : IServiceRegistrar, IServiceWatcher
{
    private readonly ConsulClient _client;
    private readonly ConsulServiceWatcher _watcher;

    /// <summary>Creates the registry.</summary>
    /// <param name="client">The Consul client.</param>
    /// <param name="discovery">Watch pacing and backoff.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">A logger.</param>
    public ConsulRegistry(ConsulClient client, DiscoveryOptions discovery, TimeProvider timeProvider, ILogger<ConsulRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _watcher = new ConsulServiceWatcher(client, discovery, timeProvider, logger);
    }

    /// <inheritdoc />
    public TimeSpan? GetHeartbeatInterval(ServiceRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return registration.Check.Kind == HealthCheckKind.Ttl ? registration.Check.TimeToLive / 3 : null;
    }

    /// <inheritdoc />
    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) =>
        _client.Agent.RegisterServiceAsync(ConsulRegistrationMapper.ToAgentRegistration(registration), cancellationToken);

    /// <inheritdoc />
    public async Task<HeartbeatResult> HeartbeatAsync(ServiceRegistration registration, RegistrationHealth health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        try
        {
            await _client.Agent.UpdateTtlAsync(registration.CheckId, ConsulRegistrationMapper.ToStatus(health.Status), health.Output, cancellationToken)
                .ConfigureAwait(false);
            return HeartbeatResult.Renewed;
        }
        catch (ConsulException ex) when (ex.IsUnknownCheckOrService)
        {
            return HeartbeatResult.NotRegistered;
        }
    }

    /// <inheritdoc />
    public Task SetMaintenanceAsync(ServiceRegistration registration, bool enable, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return _client.Agent.SetServiceMaintenanceAsync(registration.Id, enable, reason, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeregisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return _client.Agent.DeregisterServiceAsync(registration.Id, cancellationToken);
    }

    /// <inheritdoc />
    public Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken) =>
        _watcher.WatchAsync(query, observer, cancellationToken);
}
