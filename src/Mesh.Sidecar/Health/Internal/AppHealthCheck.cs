using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mesh.Sidecar.Health.Internal;

/// <summary>
/// The sidecar's only ASP.NET Core health check: the app probe's latest result. The library's registration heartbeat
/// reports health checks, so this is how the probe's verdict reaches the registry.
/// </summary>
internal sealed class AppHealthCheck(AppProber prober) : IHealthCheck
{
    /// <summary>The check's name, as the registry shows it.</summary>
    public const string Name = "app";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = prober.Current;
        return Task.FromResult(health.IsPassing ? HealthCheckResult.Healthy(health.Output) : HealthCheckResult.Unhealthy(health.Output));
    }
}
