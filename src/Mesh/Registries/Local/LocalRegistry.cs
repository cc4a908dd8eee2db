// TEMPORARY STUB (not committed): replaced by the local-registry branch.
using Mesh.Discovery;
using Mesh.Registration;
using Microsoft.Extensions.Logging;
namespace Mesh.Registries.Local;
/// <summary>stub</summary>
public sealed class LocalRegistry : IServiceRegistrar, IServiceWatcher
{
    /// <summary>stub</summary>
    public LocalRegistry(LocalRegistryOptions options, TimeProvider timeProvider, ILogger<LocalRegistry> logger) { }
    /// <inheritdoc />
    public TimeSpan? GetHeartbeatInterval(ServiceRegistration registration) => null;
    /// <inheritdoc />
    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task<HeartbeatResult> HeartbeatAsync(ServiceRegistration registration, RegistrationHealth health, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task SetMaintenanceAsync(ServiceRegistration registration, bool enable, string? reason, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task DeregisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken) => throw new NotImplementedException();
}
