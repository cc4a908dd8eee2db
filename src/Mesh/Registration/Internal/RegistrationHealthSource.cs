using Mesh.Discovery;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mesh.Registration.Internal;

/// <summary>
/// What the heartbeat reports: the app's own ASP.NET Core health checks when it has registered any
/// (Healthy → passing, Degraded → warning, Unhealthy → critical), otherwise passing.
/// </summary>
internal sealed class RegistrationHealthSource
{
    private readonly HealthCheckService? _healthChecks;

    public RegistrationHealthSource(HealthCheckService? healthChecks) => _healthChecks = healthChecks;

    public async Task<RegistrationHealth> GetAsync(CancellationToken cancellationToken)
    {
        if (_healthChecks is null)
        {
            return RegistrationHealth.Passing;
        }

        var report = await _healthChecks.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var status = report.Status switch
        {
            HealthStatus.Healthy => EndpointHealth.Passing,
            HealthStatus.Degraded => EndpointHealth.Warning,
            _ => EndpointHealth.Critical,
        };
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Status}");
        return new RegistrationHealth(status, $"{report.Status}{(status == EndpointHealth.Passing ? "" : " (" + string.Join(", ", failing) + ")")}");
    }
}
