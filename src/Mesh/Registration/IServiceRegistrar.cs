namespace Mesh.Registration;

/// <summary>
/// The registration side of a registry (Consul, Local or Static): puts this instance in the registry, keeps it
/// alive and takes it out.
/// </summary>
public interface IServiceRegistrar
{
    /// <summary>
    /// Returns how often <see cref="HeartbeatAsync"/> must be called to keep <paramref name="registration"/> alive
    /// (a TTL check in Consul, a lease in the Local registry), or <see langword="null"/> when it needs none.
    /// </summary>
    /// <param name="registration">The instance.</param>
    TimeSpan? GetHeartbeatInterval(ServiceRegistration registration);

    /// <summary>Registers (or re-registers, replacing) the instance.</summary>
    /// <param name="registration">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken);

    /// <summary>Reports the instance alive with <paramref name="health"/>.</summary>
    /// <param name="registration">The instance.</param>
    /// <param name="health">The status to report.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="HeartbeatResult.NotRegistered"/> when the registry has forgotten the instance.</returns>
    Task<HeartbeatResult> HeartbeatAsync(ServiceRegistration registration, RegistrationHealth health, CancellationToken cancellationToken);

    /// <summary>Puts the instance in (or takes it out of) maintenance: in maintenance it receives no new traffic.</summary>
    /// <param name="registration">The instance.</param>
    /// <param name="enable">Whether maintenance is on.</param>
    /// <param name="reason">Why, shown by the registry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SetMaintenanceAsync(ServiceRegistration registration, bool enable, string? reason, CancellationToken cancellationToken);

    /// <summary>Removes the instance. Removing an unknown instance succeeds.</summary>
    /// <param name="registration">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeregisterAsync(ServiceRegistration registration, CancellationToken cancellationToken);
}
