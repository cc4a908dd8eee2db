namespace Mesh.Consul.Models;

/// <summary>One element of <c>/v1/health/service/&lt;name&gt;</c>: an instance with its node and checks.</summary>
public sealed class ServiceEntry
{
    /// <summary>Gets or sets the node the instance runs on.</summary>
    public ConsulNode Node { get; set; } = new();

    /// <summary>Gets or sets the instance.</summary>
    public AgentService Service { get; set; } = new();

    /// <summary>Gets or sets the node's and the instance's checks.</summary>
    public IReadOnlyList<HealthCheck> Checks { get; set; } = [];

    /// <summary>Gets the address to connect to: the service's, or the node's when the service has none.</summary>
    public string EffectiveAddress => string.IsNullOrEmpty(Service.Address) ? Node.Address : Service.Address;

    /// <summary>Gets the worst status among <see cref="Checks"/> (<see cref="HealthStatus.Passing"/> when there are none).</summary>
    public string AggregatedStatus
    {
        get
        {
            var worst = HealthStatus.Passing;
            foreach (var check in Checks)
            {
                if (check.Status == HealthStatus.Critical || check.Status == HealthStatus.Maintenance)
                {
                    return HealthStatus.Critical;
                }

                if (check.Status == HealthStatus.Warning)
                {
                    worst = HealthStatus.Warning;
                }
            }

            return worst;
        }
    }
}
