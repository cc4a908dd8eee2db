using Mesh.Consul.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Consul;

/// <summary>
/// A typed client for the parts of Consul's HTTP API that Mesh uses: the agent (register, deregister, maintenance,
/// TTL checks), health, catalog and KV, with blocking queries, ACL tokens, TLS with a custom CA and datacenters.
/// Thread-safe; one per process is enough (<c>AddMesh</c> registers one).
/// </summary>
public sealed class ConsulClient
{
    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">The HTTP client to send with (its handler carries TLS settings; see <c>AddMesh</c>).</param>
    /// <param name="options">Where and how to reach Consul; unset values come from Consul's environment variables.</param>
    /// <param name="timeProvider">The clock for request timeouts.</param>
    /// <param name="logger">A logger; the token is never logged.</param>
    public ConsulClient(HttpClient httpClient, ConsulClientOptions options, TimeProvider? timeProvider = null, ILogger<ConsulClient>? logger = null)
        : this(httpClient, ConsulSettings.Resolve(options, Environment.GetEnvironmentVariable), timeProvider, logger)
    {
    }

    internal ConsulClient(HttpClient httpClient, ConsulSettings settings, TimeProvider? timeProvider, ILogger<ConsulClient>? logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        httpClient.BaseAddress = settings.BaseAddress;
        var transport = new ConsulTransport(httpClient, settings, timeProvider ?? TimeProvider.System, logger ?? NullLogger<ConsulClient>.Instance);
        Agent = new ConsulAgentApi(transport);
        Health = new ConsulHealthApi(transport);
        Catalog = new ConsulCatalogApi(transport);
        KV = new ConsulKVApi(transport);
        Address = settings.BaseAddress;
    }

    /// <summary>Gets the agent's base address.</summary>
    public Uri Address { get; }

    /// <summary>Gets the local agent's endpoints: services and checks of this node.</summary>
    public ConsulAgentApi Agent { get; }

    /// <summary>Gets the health endpoints: instances with their checks.</summary>
    public ConsulHealthApi Health { get; }

    /// <summary>Gets the catalog endpoints.</summary>
    public ConsulCatalogApi Catalog { get; }

    /// <summary>Gets the key/value store.</summary>
    public ConsulKVApi KV { get; }
}
