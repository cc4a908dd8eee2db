using Mesh.Discovery;
using Mesh.Registration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Registries.Static;

/// <summary>
/// The Static registry: a service's instances are the endpoints listed under
/// <c>Mesh:Services:&lt;name&gt;:Endpoints</c>, re-read whenever configuration reloads. Registration is a no-op:
/// the list is owned by whoever writes the configuration.
/// </summary>
public sealed partial class StaticRegistry : IServiceRegistrar, IServiceWatcher
{
    private readonly IOptionsMonitor<MeshOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the registry.</summary>
    /// <param name="options">Mesh options; their changes are followed.</param>
    /// <param name="logger">A logger.</param>
    public StaticRegistry(IOptionsMonitor<MeshOptions> options, ILogger<StaticRegistry> logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public TimeSpan? GetHeartbeatInterval(ServiceRegistration registration) => null;

    /// <inheritdoc />
    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Log.RegistrationIgnored(_logger, registration.Id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<HeartbeatResult> HeartbeatAsync(ServiceRegistration registration, RegistrationHealth health, CancellationToken cancellationToken) =>
        Task.FromResult(HeartbeatResult.Renewed);

    /// <inheritdoc />
    public Task SetMaintenanceAsync(ServiceRegistration registration, bool enable, string? reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task DeregisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(observer);
        Report(_options.CurrentValue, query, observer);
        using var subscription = _options.OnChange(options => Report(options, query, observer));
        // Nothing to poll: configuration reloads push changes. Wait for cancellation without throwing.
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled);
        await cancelled.Task.ConfigureAwait(false);
    }

    private void Report(MeshOptions options, ServiceQuery query, IServiceWatchObserver observer)
    {
        if (!options.Services.TryGetValue(query.ServiceName, out var service))
        {
            observer.OnEndpoints([]);
            return;
        }

        var endpoints = new List<ServiceEndpoint>(service.Endpoints.Count);
        foreach (var text in service.Endpoints)
        {
            if (StaticEndpointParser.TryParse(text, out var host, out var port))
            {
                endpoints.Add(new ServiceEndpoint($"{query.ServiceName}@{host}:{port}", query.ServiceName, host, port));
            }
            else
            {
                // Validation at start rejects this; a later reload with a typo must not wipe the good entries.
                Log.BadEndpoint(_logger, query.ServiceName, text);
            }
        }

        observer.OnEndpoints(endpoints);
    }
}
