using Mesh.Consul.Internal;
using Mesh.Consul.Models;

namespace Mesh.Consul;

/// <summary>The health endpoints (<c>/v1/health/*</c>): what discovery watches.</summary>
public sealed class ConsulHealthApi
{
    private readonly ConsulTransport _transport;

    internal ConsulHealthApi(ConsulTransport transport) => _transport = transport;

    /// <summary>
    /// Lists a service's instances with their node and checks (<c>/v1/health/service/&lt;name&gt;</c>). Pass the
    /// last <see cref="ConsulResponse{T}.Index"/> in <paramref name="options"/> to block until something changes.
    /// </summary>
    /// <param name="service">The service name.</param>
    /// <param name="tag">Only instances with this tag, or <see langword="null"/>.</param>
    /// <param name="passingOnly">Only instances whose every check passes.</param>
    /// <param name="options">Index, wait, datacenter and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConsulResponse<ServiceEntry[]>> ServiceAsync(
        string service, string? tag = null, bool passingOnly = true, ConsulQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var path = new ConsulQueryString("v1/health/service/" + Uri.EscapeDataString(service)).Add("tag", tag).AddFlag("passing", passingOnly);
        return _transport.GetAsync(path, options ?? ConsulQueryOptions.Default, ConsulJsonContext.Default.ServiceEntryArray, cancellationToken);
    }

    /// <summary>Lists the checks of a service's instances (<c>/v1/health/checks/&lt;name&gt;</c>).</summary>
    /// <param name="service">The service name.</param>
    /// <param name="options">Index, wait, datacenter and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConsulResponse<HealthCheck[]>> ChecksAsync(string service, ConsulQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        return _transport.GetAsync(new ConsulQueryString("v1/health/checks/" + Uri.EscapeDataString(service)),
            options ?? ConsulQueryOptions.Default, ConsulJsonContext.Default.HealthCheckArray, cancellationToken);
    }
}
