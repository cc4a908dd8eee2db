using Mesh.Consul.Internal;
using Mesh.Consul.Models;

namespace Mesh.Consul;

/// <summary>The catalog endpoints (<c>/v1/catalog/*</c>).</summary>
public sealed class ConsulCatalogApi
{
    private readonly ConsulTransport _transport;

    internal ConsulCatalogApi(ConsulTransport transport) => _transport = transport;

    /// <summary>Lists every service name with the tags its instances use.</summary>
    /// <param name="options">Index, wait, datacenter and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConsulResponse<Dictionary<string, string[]>>> ServicesAsync(ConsulQueryOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.GetAsync(new ConsulQueryString("v1/catalog/services"), options ?? ConsulQueryOptions.Default,
            ConsulJsonContext.Default.DictionaryStringStringArray, cancellationToken);

    /// <summary>Lists a service's instances regardless of health.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="tag">Only instances with this tag, or <see langword="null"/>.</param>
    /// <param name="options">Index, wait, datacenter and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConsulResponse<CatalogService[]>> ServiceAsync(string service, string? tag = null, ConsulQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var path = new ConsulQueryString("v1/catalog/service/" + Uri.EscapeDataString(service)).Add("tag", tag);
        return _transport.GetAsync(path, options ?? ConsulQueryOptions.Default, ConsulJsonContext.Default.CatalogServiceArray, cancellationToken);
    }
}
